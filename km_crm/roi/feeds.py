"""What feeds a report that shows nothing: an empty Knowledge Gaps or Content Quality says where its
records come from, and what to switch on when they cannot come (the scheduler, a KM Coach)."""

import frappe
from frappe import _
from frappe.utils.scheduler import is_scheduler_inactive

from km_crm import constants as C

SEARCH_LOG = "KM Search Log"
QUALITY_CHECK = "KM Quality Check"


def scheduler_off() -> str:
	"""The sentence for a site whose scheduler does not run; empty when it runs."""
	if not is_scheduler_inactive(verbose=False):
		return ""
	return _(
		"The scheduler is not running on this site: switch it on in System Settings (Enable Scheduled Jobs) or with {0}."
	).format(f"<code>bench --site {frappe.utils.escape_html(frappe.local.site)} enable-scheduler</code>")


def search_gaps(searches: int) -> str:
	"""For an empty Knowledge Gaps: `searches` is how many searches the period logged."""
	if searches:
		return _paragraphs(
			_(
				"Every search of this period found something that was opened ({0} searches): no gap to show."
			).format(searches)
		)
	waiting = frappe.cache.llen(f"insert_queue_for_{SEARCH_LOG}")
	return _paragraphs(
		_(
			"No search was logged in this period. This report lists what people searched for in the desk, the portal and on tickets and did not find: no result, or no result opened."
		),
		_("Searches reach it through KM Search Log, which the scheduler writes in batches every 15 minutes."),
		_("{0} searches are waiting to be written.").format(waiting) if waiting else "",
		scheduler_off(),
	)


def quality_checks() -> str:
	"""For an empty Content Quality."""
	waiting = frappe.db.count(QUALITY_CHECK, {"status": ("!=", "Done")})
	coaches = frappe.get_all("Has Role", filters={"role": C.ROLE_COACH, "parenttype": "User"}, pluck="parent")
	has_coach = frappe.db.exists("User", {"name": ("in", coaches or [""]), "enabled": 1})
	command = f"<code>bench --site {frappe.utils.escape_html(frappe.local.site)} execute km_crm.roi.quality_sampling.sample_last_month</code>"
	return _paragraphs(
		_("No quality check was completed in this period."),
		_(
			"On the first day of each month the scheduler picks, for each contributor, a few of the article versions published the month before, and gives each to a KM Coach as a KM Quality Check (a ToDo). The report shows the checks the coaches completed, scored against the content standard."
		),
		_("{0} quality checks are waiting for a coach.").format(waiting) if waiting else "",
		""
		if has_coach
		else _("No enabled user has the {0} role: give it to the people who check articles.").format(
			_(C.ROLE_COACH)
		),
		scheduler_off(),
		_("To pick last month's articles now: {0}").format(command),
	)


def _paragraphs(*lines: str) -> str:
	return "".join(f"<p>{line}</p>" for line in lines if line)

"""What feeds Content Quality when it shows nothing: where its checks come from, and what to switch on
when they cannot come (the scheduler, a KM Coach)."""

import frappe
from frappe import _

from km_crm import constants as C
from km_crm import scheduler

QUALITY_CHECK = "KM Quality Check"


def quality_checks() -> str:
	"""For an empty Content Quality."""
	waiting = frappe.db.count(QUALITY_CHECK, {"status": ("!=", "Done")})
	coaches = frappe.get_all("Has Role", filters={"role": C.ROLE_COACH, "parenttype": "User"}, pluck="parent")
	has_coach = frappe.db.exists("User", {"name": ("in", coaches or [""]), "enabled": 1})
	command = f"<code>bench --site {frappe.utils.escape_html(frappe.local.site)} execute km_crm.roi.quality_sampling.sample_last_month</code>"
	return scheduler.paragraphs(
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
		scheduler.off_note(),
		_("To pick last month's articles now: {0}").format(command),
	)

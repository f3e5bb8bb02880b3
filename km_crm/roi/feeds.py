"""What feeds Content Quality, and the citation and link accuracy of KCS Metrics, when they show
nothing: where their figures come from, and what to switch on when they cannot come (the scheduler,
a KM Coach)."""

import frappe
from frappe import _

from km_crm import constants as C
from km_crm import scheduler

QUALITY_CHECK = "KM Quality Check"
LINK_CHECK = "KM Link Check"


def quality_checks() -> str:
	"""For an empty Content Quality."""
	waiting = frappe.db.count(QUALITY_CHECK, {"status": ("!=", "Done")})
	command = f"<code>bench --site {frappe.utils.escape_html(frappe.local.site)} execute km_crm.roi.quality_sampling.sample_last_month</code>"
	return scheduler.paragraphs(
		_("No quality check was completed in this period."),
		_(
			"On the first day of each month the scheduler picks, for each contributor, a few of the article versions published the month before, and gives each to a KM Coach as a KM Quality Check (a ToDo). The report shows the checks the coaches completed, scored against the content standard."
		),
		_("{0} quality checks are waiting for a coach.").format(waiting) if waiting else "",
		_no_coach_note(),
		scheduler.off_note(),
		_("To pick last month's articles now: {0}").format(command),
	)


def link_checks() -> str:
	"""For KCS Metrics without a completed link check in the period (link accuracy)."""
	waiting = frappe.db.count(LINK_CHECK, {"status": ("!=", "Done")})
	command = f"<code>bench --site {frappe.utils.escape_html(frappe.local.site)} execute km_crm.roi.link_sampling.sample_last_month</code>"
	return scheduler.paragraphs(
		_(
			"Link accuracy: no link check was completed in this period. On the first day of each month the scheduler picks, for each agent, a few of the ticket links they made the month before and gives each to a KM Coach who may read the article, as a KM Link Check (a ToDo). The coach marks the link right or wrong."
		),
		_("{0} link checks are waiting for a coach.").format(waiting) if waiting else "",
		_no_coach_note(),
		scheduler.off_note(),
		_("To pick last month's links now: {0}").format(command),
	)


def citations() -> str:
	"""For KCS Metrics without a reuse by others in the period (citation)."""
	return scheduler.paragraphs(
		_(
			"Citation: no article was reused by someone other than its owner in this period. It counts the links agents make from a ticket's knowledge panel (Solved or Referenced) to articles other people own; linking one's own article does not count."
		)
	)


def _no_coach_note() -> str:
	coaches = frappe.get_all("Has Role", filters={"role": C.ROLE_COACH, "parenttype": "User"}, pluck="parent")
	if frappe.db.exists("User", {"name": ("in", coaches or [""]), "enabled": 1}):
		return ""
	return _("No enabled user has the {0} role: give it to the people who check articles.").format(
		_(C.ROLE_COACH)
	)

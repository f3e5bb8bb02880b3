"""Readers' feedback on articles ("Did this help?"), guests included."""

import frappe
from frappe import _

from km_crm.knowledge import article_feedback
from km_crm.rate_limits import check_rate

FEEDBACK_PER_MINUTE = 10


@frappe.whitelist(allow_guest=True, methods=["POST"])
def submit(article: str, helpful: int, reason: str | None = None, comment: str = "") -> dict:
	"""The visitor's vote; a second vote on the same article is not counted, and the answer says so
	(an expected case: a calm answer, not an error)."""
	check_rate("feedback", FEEDBACK_PER_MINUTE)
	if article_feedback.submit(article, bool(frappe.utils.cint(helpful)), reason, comment) is None:
		return {"message": _("You have already told us about this article. Thank you!"), "counted": 0}
	return {"message": _("Thank you for your feedback."), "counted": 1}

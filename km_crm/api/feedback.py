"""Readers' feedback on articles ("Did this help?"), guests included."""

import frappe
from frappe import _

from km_crm.knowledge import article_feedback
from km_crm.rate_limits import check_rate

FEEDBACK_PER_MINUTE = 10


@frappe.whitelist(allow_guest=True, methods=["POST"])
def submit(article: str, helpful: int, reason: str | None = None, comment: str = "") -> dict:
	check_rate("feedback", FEEDBACK_PER_MINUTE)
	article_feedback.submit(article, bool(frappe.utils.cint(helpful)), reason, comment)
	return {"message": _("Thank you for your feedback.")}

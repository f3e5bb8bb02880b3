"""Scheduled governance work: expire overdue rounds, remind voters, flag articles due for review."""

from datetime import timedelta

import frappe
from frappe.utils import get_datetime, now_datetime

from km_crm import constants as C
from km_crm.governance import actions, notify, quorum
from km_crm.knowledge.review_due import in_own_transaction


def close_expired_reviews() -> None:
	for name in frappe.get_all(
		"KM Review", filters={"status": C.REVIEW_OPEN, "deadline": ("<", now_datetime())}, pluck="name"
	):
		in_own_transaction(_close_one, name)


def _close_one(name: str) -> None:
	if frappe.db.get_value("KM Review", name, "status", for_update=True) != C.REVIEW_OPEN:
		return
	actions.evaluate(frappe.get_doc("KM Review", name))


def remind_pending_voters() -> None:
	now = now_datetime()
	for name in frappe.get_all("KM Review", filters={"status": C.REVIEW_OPEN}, pluck="name"):
		review = frappe.get_doc("KM Review", name)
		hours = frappe.db.get_value("KM Committee", review.committee, "reminder_interval_hours") or 0
		due = quorum.reminder_due(
			(review.pending_voters or "").split(),
			last_reminder_at=get_datetime(review.last_reminder_on) if review.last_reminder_on else None,
			opened_at=get_datetime(review.opened_on),
			now=now,
			interval=timedelta(hours=hours),
			deadline=get_datetime(review.deadline),
		)
		if due:
			notify.remind_voters(review, due)
			frappe.db.set_value("KM Review", name, "last_reminder_on", now, update_modified=False)

"""Scheduled governance work: expire overdue rounds, remind voters, flag articles due for review."""

from datetime import timedelta

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import escape_html, get_datetime, getdate, now_datetime, today

from km_crm import constants as C
from km_crm.governance import notify, quorum, review_round
from km_crm.knowledge import audit, lifecycle


def close_expired_reviews() -> None:
	for name in frappe.get_all(
		"KM Review", filters={"status": C.REVIEW_OPEN, "deadline": ("<", now_datetime())}, pluck="name"
	):
		_in_own_transaction(_close_one, name)


def _close_one(name: str) -> None:
	if frappe.db.get_value("KM Review", name, "status", for_update=True) != C.REVIEW_OPEN:
		return
	review_round.evaluate(frappe.get_doc("KM Review", name))


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


def flag_articles_due_for_review() -> None:
	day = getdate(today())
	for row in frappe.get_all(
		"KM Article",
		filters={"status": C.PUBLISHED},
		or_filters={"review_by": ("<=", day), "expires_on": ("<=", day)},
		fields=["name", "review_by", "expires_on"],
	):
		_in_own_transaction(flag_article, row.name)


def flag_article(name: str, reason: str | None = None) -> None:
	"""Send a published article to Needs Review, with a ToDo for its owner: for its dates, or for the
	`reason` given (readers' votes)."""
	article = frappe.get_doc("KM Article", name)
	if article.status != C.PUBLISHED:
		return
	expired = lifecycle.expired(article.expires_on, getdate(today()))
	article.set_status(lifecycle.ACTION_MARK_REVIEW_DUE)
	article.save(ignore_permissions=True)
	if not reason and expired:
		reason = _("The article expired on {0}.").format(frappe.utils.formatdate(article.expires_on))
	elif not reason:
		reason = _("The article was due for review on {0}.").format(
			frappe.utils.formatdate(article.review_by)
		)
	audit.record("Review Due", article.name, version=article.version, details=reason, actor="Administrator")
	if article.article_owner:
		assign_to.add(
			{
				"assign_to": [article.article_owner],
				"doctype": "KM Article",
				"name": article.name,
				"description": _("Review article {0}: {1}").format(
					escape_html(article.title), escape_html(reason)
				),
			},
			ignore_permissions=True,
		)


def _in_own_transaction(fn, *args) -> None:
	"""One bad record must not stop the rest of a scheduled run."""
	try:
		fn(*args)
		frappe.db.commit()  # nosemgrep: scheduled job, one record per transaction
	except Exception:
		frappe.db.rollback()
		frappe.log_error(title=f"km_crm: {fn.__name__} failed for {args}")

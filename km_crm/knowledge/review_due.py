"""Articles due for review: the daily job that sends published articles past their review-by or
expires-on date to Needs Review, and the same step for articles readers flagged (article feedback),
each with a ToDo for the owner and an audit record."""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import escape_html, getdate, today

from km_crm import constants as C
from km_crm.knowledge import audit, lifecycle


def flag_articles_due_for_review() -> None:
	"""Daily: every published article whose review-by date or expiry has come (lifecycle.review_due,
	lifecycle.expired: the rules the tests check are the ones that run; the query only narrows)."""
	day = getdate(today())
	for row in frappe.get_all(
		"KM Article",
		filters={"status": C.PUBLISHED},
		or_filters={"review_by": ("<=", day), "expires_on": ("<=", day)},
		fields=["name", "review_by", "expires_on"],
	):
		if lifecycle.review_due(row.review_by, day) or lifecycle.expired(row.expires_on, day):
			in_own_transaction(flag_article, row.name)


def flag_article(name: str, reason: str | None = None, data: dict | None = None) -> None:
	"""Send a published article to Needs Review, with a ToDo for its owner: for its dates, or for the
	`reason` given (readers' votes, evidence from tickets and items: reverification.py), with the
	evidence's `data` kept in the audit record."""
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
	audit.record(
		"Review Due", article.name, version=article.version, details=reason, data=data, actor="Administrator"
	)
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


def in_own_transaction(fn, *args) -> None:
	"""One bad record must not stop the rest of a scheduled run."""
	try:
		fn(*args)
		frappe.db.commit()  # nosemgrep: scheduled job, one record per transaction
	except Exception:
		frappe.db.rollback()
		frappe.log_error(title=f"km_crm: {fn.__name__} failed for {args}")

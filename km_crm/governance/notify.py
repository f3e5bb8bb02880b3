"""In-app notifications (Frappe's Notification Log: the bell, and e-mail when the user enabled it)."""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
from frappe.utils import escape_html


def _send(users, subject: str, doctype: str, name: str, body: str = "") -> None:
	users = sorted({u for u in users if u and u not in ("Guest",)})
	if not users:
		return
	enqueue_create_notification(
		users,
		{
			"type": "Alert",
			"document_type": doctype,
			"document_name": name,
			"subject": subject,
			"email_content": body or subject,
			"from_user": frappe.session.user,
		},
	)


def review_decided(review, article, comments: list[dict]) -> None:
	lines = "".join(
		f"<li><b>{escape_html(c.voter)}</b> ({escape_html(_(c.decision))}): {escape_html(c.comment or '')}</li>"
		for c in comments
	)
	subject = _("Review of {0}: {1}").format(escape_html(article.title), _(review.status))
	_send(
		{article.article_owner, review.submitted_by},
		subject,
		"KM Article",
		article.name,
		f"<p>{escape_html(review.decision_reason or '')}</p><ul>{lines}</ul>",
	)


def review_expired(review, article) -> None:
	subject = _("The review of {0} passed its deadline without a decision").format(escape_html(article.title))
	_send(
		{article.article_owner, review.submitted_by, review.escalated_to}, subject, "KM Review", review.name
	)


def remind_voters(review, voters) -> None:
	subject = _("Reminder: your vote is needed on {0} (due {1})").format(
		escape_html(review.article_title or review.article), frappe.utils.format_datetime(review.deadline)
	)
	_send(voters, subject, "KM Review", review.name)

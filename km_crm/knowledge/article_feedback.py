"""Readers' feedback on an article ("Did this help?"): one vote per visitor and article, kept with the
version they read; a "not helpful" with words reaches the owner's ToDo list; enough "outdated" or
"incorrect" votes on the live version send the article back to review (feedback_rules.py)."""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import escape_html

from km_crm import constants as C
from km_crm.exceptions import KMError, translated
from km_crm.knowledge import feedback_rules, review_due
from km_crm.permissions import readers
from km_crm.visitors import visitor_key

FEEDBACK = "KM Article Feedback"


def visitor_vote(article: str) -> int | None:
	"""This visitor's vote on the article: 1 helpful, 0 not helpful, None when they have not voted."""
	return frappe.db.get_value(FEEDBACK, {"feedback_key": _key(article)}, "helpful")


def _key(article: str) -> str:
	return f"{article}|{visitor_key()}"


def submit(
	article: str, helpful: bool, reason: str | None = None, comment: str = "", channel: str = "Portal"
) -> str | None:
	"""Records the visitor's vote; None when they voted on this article before (that vote stands)."""
	if not readers.live_routes([article]):
		frappe.throw(_("You are not permitted to read this article."), frappe.PermissionError)
	reason = None if helpful else (reason or None)
	try:
		feedback_rules.check(helpful, reason)
	except feedback_rules.FeedbackError as e:
		frappe.throw(translated(e), KMError)
	key = _key(article)
	if frappe.db.exists(FEEDBACK, {"feedback_key": key}):
		return None
	row = frappe.db.get_value(
		"KM Article", article, ["published_version", "article_owner", "title", "status"], as_dict=True
	)
	user = frappe.session.user
	doc = frappe.get_doc(
		{
			"doctype": FEEDBACK,
			"article": article,
			"article_version": row.published_version,
			"helpful": 1 if helpful else 0,
			"reason": reason,
			"comment": (comment or "").strip()[: feedback_rules.MAX_COMMENT_CHARS],
			"user": None if user == C.GUEST else user,
			"channel": channel,
			"feedback_key": key,
		}
	)
	doc.flags.km_append = True
	doc.insert(ignore_permissions=True)
	if feedback_rules.owner_should_hear(helpful, doc.comment) and row.article_owner:
		_tell_owner(article, row, doc)
	if not helpful and row.status == C.PUBLISHED:
		_review_if_readers_say_so(article, row.published_version)
	return doc.name


def _tell_owner(article: str, row, doc) -> None:
	assign_to.add(
		{
			"assign_to": [row.article_owner],
			"doctype": "KM Article",
			"name": article,
			"description": _("A reader found {0} not helpful ({1}): {2}").format(
				escape_html(row.title), _(doc.reason), escape_html(doc.comment)
			),
		},
		ignore_permissions=True,
	)


def _review_if_readers_say_so(article: str, live_version: str) -> None:
	reasons = frappe.get_all(
		FEEDBACK, filters={"article_version": live_version, "helpful": 0}, pluck="reason"
	)
	threshold = frappe.get_cached_doc("KM Settings").feedback_review_threshold or 0
	if feedback_rules.calls_for_review(reasons, threshold):
		counts = {r: reasons.count(r) for r in C.FEEDBACK_REVIEW_REASONS if r in reasons}
		votes = ", ".join(f"{_(r)}: {n}" for r, n in counts.items())
		review_due.flag_article(
			article, reason=_("Readers said the live version is wrong or out of date ({0}).").format(votes)
		)


def counts(articles: list[str]) -> dict[str, tuple[int, int]]:
	"""{article: (helpful votes, not helpful votes)} over all versions, for the ranking prior."""
	if not articles:
		return {}
	out: dict[str, list[int]] = {}
	for row in frappe.get_all(
		FEEDBACK,
		filters={"article": ("in", articles)},
		fields=["article", "helpful"],
		ignore_permissions=True,
	):
		pair = out.setdefault(row.article, [0, 0])
		pair[0 if row.helpful else 1] += 1
	return {a: (h, n) for a, (h, n) in out.items()}

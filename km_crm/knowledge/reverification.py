"""Re-verification by evidence: a published article goes back to review (Needs Review, a ToDo for its
owner, the evidence as the reason in its history) when tickets it solved are reopened, an ERPNext
Item it names changes, readers say it did not solve their problem, or its ticket links stop while
its category keeps solving tickets. The rules are reverification_rules.py; each is a setting of KM
Settings > Re-verification.

- Reopened tickets: the ticket's save records the reopen in the history of each article linked to it
  as solved ("Ticket Reopened", append-only like the rest of the audit trail); a job after the commit
  counts the article's reopens since its window started.
- Items: the Item's save only compares it with what it was; a job after the commit sends the articles
  that name it to review.
- Readers and ticket links: the daily job (`check_published_articles`).
"""

import json
from urllib.parse import quote

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_to_date, get_datetime, now_datetime

from km_crm import constants as C
from km_crm.knowledge import audit, review_due
from km_crm.knowledge import reverification_rules as rules

SETTINGS = "KM Settings"
ARTICLE = "KM Article"
LINK = "KM Article Link"
FEEDBACK = "KM Article Feedback"
TICKET_REOPENED = "Ticket Reopened"  # KM Audit Event type

ITEM_SETTINGS = {
	rules.ITEM_NEW_VARIANT: "reverify_item_variant",
	rules.ITEM_DISABLED: "reverify_item_disabled",
	rules.ITEM_DESCRIPTION: "reverify_item_description",
}
ITEM_FIELDS = ("disabled", "description", "variant_of")


def _settings():
	return frappe.get_cached_doc(SETTINGS)


def _int(value, default: int) -> int:
	return default if value is None else int(value)


def flag(article: str, evidence: rules.Evidence | list[rules.Evidence]) -> None:
	"""Send the article to review with the evidence as the reason (nothing when it is not published:
	an article already in review is not sent again)."""
	found = evidence if isinstance(evidence, list) else [evidence]
	reason = "; ".join(_(e.template).format(**e.values) for e in found)
	data = {"evidence": [{"trigger": e.trigger, **e.values, **e.facts} for e in found]}
	review_due.flag_article(article, reason=reason, data=data)


# --- tickets solved with the article, reopened ------------------------------------------------------


def ticket_label(ticket_doctype: str, ticket: str) -> str:
	"""How a reason names a ticket: an Issue by its name, a Helpdesk ticket by its number (#42)."""
	return f"#{ticket}" if ticket_doctype == C.HD_TICKET else ticket


def ticket_reopened(ticket_doctype: str, ticket: str, from_status: str, to_status: str) -> None:
	"""In the ticket's save: the reopen goes into the history of every article linked to the ticket as
	solved; after the commit a job checks whether those articles now call for review."""
	articles = frappe.get_all(
		LINK,
		filters={"ticket_doctype": ticket_doctype, "ticket": ticket, "link_type": C.LINK_SOLVED},
		pluck="article",
		distinct=True,
	)
	for article in articles:
		audit.record(
			TICKET_REOPENED,
			article,
			version=frappe.db.get_value(ARTICLE, article, "version"),
			details=_("{0} {1}, solved with this article, was reopened ({2} to {3}).").format(
				_(ticket_doctype), ticket, _(from_status), _(to_status)
			),
			data={
				"ticket_doctype": ticket_doctype,
				"ticket": ticket,
				"from_status": from_status,
				"to_status": to_status,
			},
		)
	if articles:
		frappe.enqueue(
			"km_crm.knowledge.reverification.check_reopened_tickets",
			queue="short",
			enqueue_after_commit=True,
			articles=articles,
		)


def check_reopened_tickets(articles: list[str]) -> None:
	"""Job: each published article whose solved tickets were reopened often enough goes to review."""
	settings = _settings()
	if not settings.reverify_reopened_tickets:
		return
	for article in articles:
		evidence = reopened_evidence(article, settings)
		if evidence:
			review_due.in_own_transaction(flag, article, evidence)


def reopened_evidence(article: str, settings=None) -> rules.Evidence | None:
	settings = settings or _settings()
	row = frappe.db.get_value(ARTICLE, article, ["status", "last_published_on"], as_dict=True)
	if not row or row.status != C.PUBLISHED:
		return None
	days = _int(settings.reopened_tickets_days, rules.DEFAULT_REOPENED_DAYS)
	start = rules.since(
		now_datetime(), days, get_datetime(row.last_published_on) if row.last_published_on else None
	)
	tickets = []
	for data in frappe.get_all(
		"KM Audit Event",
		filters={"article": article, "event_type": TICKET_REOPENED, "occurred_on": (">=", start)},
		order_by="occurred_on asc, creation asc",
		pluck="data",
	):
		ticket = json.loads(data or "{}")
		if ticket.get("ticket"):
			tickets.append(ticket_label(ticket.get("ticket_doctype"), ticket["ticket"]))
	return rules.reopened_tickets(
		tickets, _int(settings.reopened_tickets_needed, rules.DEFAULT_REOPENED_TICKETS), days
	)


# --- Items the article names ------------------------------------------------------------------------


def on_item_insert(doc, method=None) -> None:
	"""Item after_insert (hooks.py): a new variant of a template the articles name."""
	_item_changed(doc, rules.item_changes(None, _item_values(doc)))


def on_item_update(doc, method=None) -> None:
	"""Item on_update (hooks.py): disabled, or its description edited."""
	before = doc.get_doc_before_save()
	if before is not None:
		_item_changed(doc, rules.item_changes(_item_values(before), _item_values(doc)))


def _item_values(doc) -> dict:
	return {f: doc.get(f) for f in ITEM_FIELDS}


def _item_changed(doc, changes: list[str]) -> None:
	if not changes:
		return
	settings = _settings()
	changes = [c for c in changes if settings.get(ITEM_SETTINGS[c])]
	if not changes:
		return
	new_variant = changes == [rules.ITEM_NEW_VARIANT]
	frappe.enqueue(
		"km_crm.knowledge.reverification.item_changed",
		queue="short",
		enqueue_after_commit=True,
		item=doc.variant_of if new_variant else doc.name,
		changes=changes,
		variant=doc.name if new_variant else None,
	)


def item_changed(item: str, changes: list[str], variant: str | None = None) -> None:
	"""Job: the published articles that name `item` go to review, with what happened to it."""
	evidence = [rules.item_evidence(item, change, variant) for change in changes]
	for article in articles_naming(item):
		review_due.in_own_transaction(flag, article, evidence)


def articles_naming(item: str) -> list[str]:
	"""Published articles whose "Applies to Items" holds `item`."""
	named = frappe.get_all(
		"KM Article Item", filters={"item": item, "parenttype": ARTICLE}, pluck="parent", distinct=True
	)
	if not named:
		return []
	return frappe.get_all(ARTICLE, filters={"name": ("in", named), "status": C.PUBLISHED}, pluck="name")


# --- the daily job: readers' votes and ticket links -------------------------------------------------


def check_published_articles() -> None:
	"""Daily (hooks.py): published articles that readers say do not solve their problem, and those
	whose ticket links stopped while their category kept solving tickets, go to review."""
	for article, evidence in due_evidence(now_datetime()).items():
		review_due.in_own_transaction(flag, article, evidence)


def due_evidence(now) -> dict[str, list[rules.Evidence]]:
	settings = _settings()
	found: dict[str, list[rules.Evidence]] = {}
	if settings.reverify_not_solved:
		for article, evidence in not_solved_evidence(settings).items():
			found.setdefault(article, []).append(evidence)
	if settings.reverify_links_stop:
		for article, evidence in links_stopped_evidence(settings, now).items():
			found.setdefault(article, []).append(evidence)
	return found


def not_solved_evidence(settings) -> dict[str, rules.Evidence]:
	"""Published articles where votes "did not solve my problem" on the live version, since it was last
	published, reach the share of its readers. Readers who voted otherwise (helpful, or not helpful
	because it is unclear, outdated or incorrect: those have their own paths) count as readers only."""
	share = float(
		rules.DEFAULT_NOT_SOLVED_PERCENT
		if settings.not_solved_percent is None
		else settings.not_solved_percent
	)
	min_readers = _int(settings.not_solved_min_readers, rules.DEFAULT_NOT_SOLVED_MIN_READERS)
	article, vote = frappe.qb.DocType(ARTICLE), frappe.qb.DocType(FEEDBACK)
	rows = (
		frappe.qb.from_(vote)
		.join(article)
		.on((article.name == vote.article) & (article.published_version == vote.article_version))
		.select(article.name, article.last_published_on, vote.reason, Count("*").as_("votes"))
		.where(article.status == C.PUBLISHED)
		.where(article.last_published_on.isnull() | (vote.creation >= article.last_published_on))
		.groupby(article.name, article.last_published_on, vote.reason)
		.run(as_dict=True)
	)
	tally: dict[str, dict] = {}
	for row in rows:
		t = tally.setdefault(row.name, {"since": row.last_published_on, "voters": 0, "not_solved": 0})
		t["voters"] += row.votes
		if row.reason == C.FEEDBACK_DID_NOT_SOLVE:
			t["not_solved"] += row.votes
	found = {}
	for name, t in tally.items():
		if not t["not_solved"] or t["not_solved"] * 100 < share * max(min_readers, t["voters"], 1):
			continue  # cannot reach the share whatever the readers count: no need to count them
		evidence = rules.not_solved(
			t["not_solved"], readers(name, t["since"], t["voters"]), share, min_readers
		)
		if evidence:
			found[name] = evidence
	return found


def readers(article: str, since, voters: int) -> int:
	"""The article's readers since `since` that the site knows of (reverification_rules.readers): the
	portal's page views (Frappe's Web Page View, kept when Website Settings track page views), the
	times it was opened from search results and from suggestions on ticket forms, the voters."""
	after = {"creation": (">=", since)} if since else {}
	page_views = frappe.db.count(
		"Web Page View",
		{"path": ("in", sorted({f"knowledge/{article}", f"knowledge/{quote(article)}"})), **after},
	)
	clicks = frappe.db.count("KM Search Log", {"event": "Click", "article": article, **after})
	opened = frappe.db.count("KM Deflection Event", {"event": C.EVENT_OPENED, "article": article, **after})
	return rules.readers(page_views, clicks + opened, voters)


def links_stopped_evidence(settings, now) -> dict[str, rules.Evidence]:
	"""Published articles that solved tickets before the window and none in it, while other articles of
	their category solved enough."""
	days = _int(settings.links_stop_days, rules.DEFAULT_LINKS_STOP_DAYS)
	threshold = _int(settings.links_stop_category_tickets, rules.DEFAULT_LINKS_STOP_CATEGORY_TICKETS)
	if days <= 0 or threshold <= 0:
		return {}
	start = add_to_date(now, days=-days)
	link, article = frappe.qb.DocType(LINK), frappe.qb.DocType(ARTICLE)

	def solved(where) -> list:
		return (
			frappe.qb.from_(link)
			.join(article)
			.on(article.name == link.article)
			.select(link.article, article.category, Count("*").as_("tickets"))
			.where((link.link_type == C.LINK_SOLVED) & where)
			.groupby(link.article, article.category)
			.run(as_dict=True)
		)

	before = {r.article: r.tickets for r in solved(link.linked_on < start)}
	if not before:
		return {}
	recent = solved(link.linked_on >= start)
	within = {r.article: r.tickets for r in recent}
	by_category: dict[str, int] = {}
	for r in recent:
		if r.category:
			by_category[r.category] = by_category.get(r.category, 0) + r.tickets
	found = {}
	for row in frappe.get_all(
		ARTICLE,
		filters={"status": C.PUBLISHED, "name": ("in", list(before)), "category": ("is", "set")},
		fields=["name", "category", "last_published_on"],
	):
		mine = within.get(row.name, 0)
		evidence = rules.links_stopped(
			solved_before=before[row.name],
			solved_in_window=mine,
			category_solved_in_window=by_category.get(row.category, 0) - mine,
			live_since=get_datetime(row.last_published_on) if row.last_published_on else None,
			now=get_datetime(now),
			days=days,
			category_threshold=threshold,
		)
		if evidence:
			found[row.name] = evidence
	return found

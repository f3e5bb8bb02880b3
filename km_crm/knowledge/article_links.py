"""Links between articles and tickets (solved, referenced, created from): one per article, ticket and type.

Links are what reuse counts, the ranking prior from tickets, the KCS link rate, expertise and ROI are
computed from. Only this module creates or removes them.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from km_crm import constants as C
from km_crm.exceptions import KMError
from km_crm.knowledge.reuse_rules import REUSE_TYPES, by_another_agent
from km_crm.permissions.readers import live_titles

LINK = "KM Article Link"


def link_key(article: str, ticket_doctype: str, ticket: str, link_type: str) -> str:
	return f"{article}|{ticket_doctype}|{ticket}|{link_type}"


def add_link(article: str, ticket_doctype: str, ticket: str, link_type: str, user: str | None = None) -> str:
	"""Link an article to a ticket (idempotent: the existing link is returned)."""
	if link_type not in C.LINK_TYPES:
		frappe.throw(_("Unknown link type {0}.").format(link_type), KMError)
	if ticket_doctype not in C.TICKET_DOCTYPES or not frappe.db.exists(ticket_doctype, ticket):
		frappe.throw(_("Ticket {0} was not found.").format(ticket), frappe.DoesNotExistError)
	found = frappe.db.get_value("KM Article", article, ["published_version", "article_owner"], as_dict=True)
	if not found:
		frappe.throw(_("Article {0} was not found.").format(article), frappe.DoesNotExistError)
	live_version = found.published_version
	key = link_key(article, ticket_doctype, ticket, link_type)
	existing = frappe.db.get_value(LINK, {"link_key": key})
	if existing:
		return existing
	user = user or frappe.session.user
	link = frappe.get_doc(
		{
			"doctype": LINK,
			"article": article,
			"article_version": live_version,
			"article_title": live_titles([article]).get(article),
			"link_type": link_type,
			"ticket_doctype": ticket_doctype,
			"ticket": ticket,
			"linked_by": user,
			"linked_on": now_datetime(),
			"link_key": key,
			"first_reuse": int(_first_reuse(article, link_type, live_version, found.article_owner, user)),
		}
	)
	link.flags.km_append = True
	link.insert(ignore_permissions=True)
	update_reuse_count(article)
	return link.name


def _first_reuse(article: str, link_type: str, live_version, owner: str | None, user: str) -> bool:
	"""The live article's first reuse by another agent: the link that earns the owner the points for
	publishing it (Energy Point Rule RULE_PUBLISHED_REUSED). One per article: when that link is
	removed its points are taken back, and the next reuse by another agent is the first again. An
	article whose versions earned points when published (the rule before reuse counted) has had its
	points for publishing."""
	if not live_version or not owner or not by_another_agent(link_type, user, owner):
		return False
	if frappe.db.exists(LINK, {"article": article, "first_reuse": 1}):
		return False
	versions = frappe.get_all("KM Article Version", filters={"article": article}, pluck="name")
	return not frappe.db.exists(
		"Energy Point Log",
		{
			"rule": C.RULE_PUBLISHED_RETIRED,
			"reference_doctype": "KM Article Version",
			"reference_name": ("in", versions or [""]),
			"reverted": 0,
		},
	)


def refresh_titles(article: str) -> None:
	"""Links show the live version's title (readers of links may read it, never a draft's): set it
	again when the article's live version changes, and clear it when there is none."""
	title = live_titles([article]).get(article)
	table = frappe.qb.DocType(LINK)
	frappe.qb.update(table).set(table.article_title, title).where(table.article == article).run()


def remove_link(name: str) -> None:
	article = frappe.db.get_value(LINK, name, "article")
	if not article:
		return
	doc = frappe.get_doc(LINK, name)
	doc.flags.km_append = True
	doc.delete(ignore_permissions=True)
	_take_back_points(name)
	update_reuse_count(article)


def _take_back_points(link: str) -> None:
	"""A removed link earns nothing: the energy points it gave are reverted (adding and removing a
	link again and again cannot collect points)."""
	for log in frappe.get_all(
		"Energy Point Log",
		filters={"reference_doctype": LINK, "reference_name": link, "type": "Auto", "reverted": 0},
		pluck="name",
	):
		frappe.get_doc("Energy Point Log", log).revert(
			_("The link between the article and the ticket was removed"), ignore_permissions=True
		)


def remove_ticket_links(ticket_doctype: str, ticket: str) -> None:
	"""A deleted ticket takes its links with it."""
	for name in frappe.get_all(
		LINK, filters={"ticket_doctype": ticket_doctype, "ticket": ticket}, pluck="name"
	):
		remove_link(name)


def links_of_ticket(ticket_doctype: str, ticket: str) -> list[dict]:
	return frappe.get_all(
		LINK,
		filters={"ticket_doctype": ticket_doctype, "ticket": ticket},
		fields=["name", "article", "article_title", "article_version", "link_type", "linked_by", "linked_on"],
		order_by="linked_on asc",
		ignore_permissions=True,
	)


def reuse_counts(articles: list[str]) -> dict[str, int]:
	"""{article: distinct tickets it solved or was referenced on}."""
	if not articles:
		return {}
	table = frappe.qb.DocType(LINK)
	rows = (
		frappe.qb.from_(table)
		.select(table.article, table.ticket_doctype, table.ticket)
		.distinct()
		.where(table.article.isin(articles) & table.link_type.isin(REUSE_TYPES))
		.run(as_dict=True)
	)
	counts: dict[str, int] = {}
	for row in rows:
		counts[row.article] = counts.get(row.article, 0) + 1
	return counts


def update_reuse_count(article: str) -> None:
	count = reuse_counts([article]).get(article, 0)
	frappe.db.set_value("KM Article", article, "reuse_count", count, update_modified=False)

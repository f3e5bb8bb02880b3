"""Usage signals for ranking, read from the site: ticket links and click-through on the same query."""

import frappe
from frappe.query_builder.functions import Count

from km_crm.search import access
from km_crm.search.ranking import UsagePriors

TICKET_DOCTYPES = ("Issue", "HD Ticket")


def for_query(query: str):
	"""A loader the search service calls with the candidate article ids, once per search."""
	key = access.query_key(query)

	def load(article_ids) -> dict[str, UsagePriors]:
		ids = list(dict.fromkeys(article_ids))
		if not ids:
			return {}
		links = _ticket_links(ids)
		clicks, impressions = _clicks(key, ids)
		return {
			a: UsagePriors(ticket_links=links.get(a, 0), clicks=clicks.get(a, 0), impressions=impressions)
			for a in ids
		}

	return load


def _ticket_links(ids: list[str]) -> dict[str, int]:
	counts: dict[str, int] = {}
	for doctype in TICKET_DOCTYPES:
		if not frappe.db.exists("DocType", doctype) or not frappe.get_meta(doctype).has_field("km_article"):
			continue
		table = frappe.qb.DocType(doctype)
		rows = (
			frappe.qb.from_(table)
			.select(table.km_article, Count("*").as_("n"))
			.where(table.km_article.isin(ids))
			.groupby(table.km_article)
			.run(as_dict=True)
		)
		for row in rows:
			counts[row.km_article] = counts.get(row.km_article, 0) + row.n
	return counts


def _clicks(key: str, ids: list[str]) -> tuple[dict[str, int], int]:
	if not key:
		return {}, 0
	log = frappe.qb.DocType("KM Search Log")
	rows = (
		frappe.qb.from_(log)
		.select(log.article, Count("*").as_("n"))
		.where((log.event == "Click") & (log.query_key == key) & (log.article.isin(ids)))
		.groupby(log.article)
		.run(as_dict=True)
	)
	impressions = frappe.db.count("KM Search Log", {"event": "Search", "query_key": key})
	return {r.article: r.n for r in rows}, impressions

"""Usage signals for ranking, read from the site: readers' votes, ticket links and click-through on the
same query."""

import frappe
from frappe.query_builder.functions import Count

from km_crm.knowledge import article_feedback
from km_crm.knowledge.article_links import reuse_counts
from km_crm.search.analysis import query_key
from km_crm.search.ranking import UsagePriors


def for_query(query: str):
	"""A loader the search service calls with the candidate article ids, once per search."""
	key = query_key(query)

	def load(article_ids) -> dict[str, UsagePriors]:
		ids = list(dict.fromkeys(article_ids))
		if not ids:
			return {}
		links = reuse_counts(ids)
		votes = article_feedback.counts(ids)
		clicks, impressions = _clicks(key, ids)
		return {
			a: UsagePriors(
				helpful=votes.get(a, (0, 0))[0],
				not_helpful=votes.get(a, (0, 0))[1],
				ticket_links=links.get(a, 0),
				clicks=clicks.get(a, 0),
				impressions=impressions,
			)
			for a in ids
		}

	return load


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

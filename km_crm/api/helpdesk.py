"""Helpdesk's own article search (helpdesk.api.article.search: the "These articles may already cover
what you are looking for" box of its new-ticket page and its knowledge base's search), answered from
the knowledge base: the live articles the signed-in user may read, in the shape Helpdesk's page shows.
Helpdesk's search needs Redis Stack (RediSearch) and its own, separate articles; this one needs
neither. Its links open Helpdesk's article route, which leads to ours (km_crm.integrations.entry_points)."""

import frappe

from km_crm.rate_limits import check_search_rate
from km_crm.search.site_search import MAX_QUERY_CHARS, search_rows
from km_crm.tickets.ticket_text import suggestion_query

RESULTS = 5  # what Helpdesk's search returns (helpdesk.search.NUM_RESULTS)


@frappe.whitelist()
def search(query: str) -> list[dict]:
	check_search_rate()
	text = suggestion_query((query or "")[:MAX_QUERY_CHARS], "", "")
	rows = search_rows(text, limit=RESULTS) if text.strip() else []
	return [
		{
			"id": row["article"],
			# Helpdesk reads "<article>#<anchor>": the page opens at the top
			"name": f"{row['article']}#",
			"doctype": "KM Article",
			"subject": row["title"],  # shown as text
			"headings": row["heading"] or "",
			"description": row["snippet_html"],  # escaped, <mark> around the matches
		}
		for row in rows
	]

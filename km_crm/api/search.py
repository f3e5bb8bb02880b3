"""Knowledge search for the desk, the portal and tickets. Guests see Public articles only."""

import frappe

from km_crm.rate_limits import check_search_rate
from km_crm.search.site_search import CHANNELS, MAX_QUERY_CHARS, log_search, record_click, search_answer


@frappe.whitelist(allow_guest=True)
def search(query: str = "", channel: str = "Desk", limit: int = 10, lang: str | None = None) -> dict:
	check_search_rate()
	query = (query or "")[:MAX_QUERY_CHARS]
	channel = channel if channel in CHANNELS else "API"
	limit = max(1, min(int(limit or 10), 50))
	rows, message = search_answer(query, limit=limit, lang=lang or None)
	search_id = log_search(query, channel, lang, rows)
	answer = {"results": rows, "search_id": search_id}
	if message:
		answer["message"] = message
	return answer


@frappe.whitelist(allow_guest=True, methods=["POST"])
def log_click(
	search_id: str, article: str, position: int = 0, query: str = "", channel: str = "Desk"
) -> None:
	"""Records which result a reader opened; clicks teach ranking and close knowledge gaps.

	A click counts only for an article that the same visitor's search `search_id` returned."""
	check_search_rate()
	record_click(search_id, article, position, query, channel)

"""The endpoint for assistants and chatbots: governed passages to cite (km_crm/search/answers.py)."""

import frappe

from km_crm.rate_limits import check_search_rate
from km_crm.search import answers
from km_crm.search.site_search import CHANNELS, MAX_QUERY_CHARS, log_search


@frappe.whitelist(allow_guest=True, methods=["GET", "POST"])
def passages(question: str, channel: str = "API", limit: int = 5, lang: str | None = None) -> dict:
	"""The best passages of live articles the caller may read for `question`, each with its article,
	version, section, language, audience, citation URL and confidence (0-1, 0.5 at the suggestion
	cut-off), and whether the best is worth answering from (`answerable`).

	Guests get Public articles only. Counted with searches against the caller's per-minute limit."""
	check_search_rate()
	question = (question or "")[:MAX_QUERY_CHARS]
	answer = answers.passages(question, limit=limit, lang=lang or None)
	rows = [{"article": p["article"]} for p in answer["passages"]]
	log_search(question, channel if channel in CHANNELS else "API", lang, rows)
	return answer

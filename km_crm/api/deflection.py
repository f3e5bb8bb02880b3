"""Suggestions on the ticket forms customers fill in, and "this solved my problem" (guests included:
sessions are per visitor, limits per user or address)."""

from urllib.parse import quote

import frappe
from frappe import _

from km_crm.knowledge import deflection
from km_crm.rate_limits import check_rate, check_search_rate
from km_crm.search.site_search import search_rows
from km_crm.tickets.ticket_text import suggestion_query
from km_crm.visitors import ensure_visitor_cookie

SUGGESTIONS = 5
MAX_FIELD_CHARS = 20_000
SOLVED_PER_MINUTE = 10


@frappe.whitelist(allow_guest=True, methods=["POST"])
def suggest(
	channel: str,
	subject: str = "",
	description: str = "",
	session: str | None = None,
	with_labels: int = 0,
) -> dict:
	"""Articles that may answer what the customer is typing, as the customer may read them. The
	answer names the visitor's deflection session; the form sends it back with the next call."""
	check_search_rate()
	ensure_visitor_cookie()  # a guest's session follows them to the article page
	answer = {"session": session, "results": []}
	if frappe.utils.cint(with_labels):
		answer["labels"] = labels()
	if not deflection.enabled():
		return answer
	query = suggestion_query((subject or "")[:MAX_FIELD_CHARS], (description or "")[:MAX_FIELD_CHARS], "")
	rows = search_rows(query, limit=SUGGESTIONS, suggestions=True) if query.strip() else []
	if not rows:
		return answer
	key = deflection.session_for(session, channel, query)
	deflection.shown(key, [r["article"] for r in rows])
	answer["session"] = key
	answer["results"] = [
		{
			"article": r["article"],
			"title_html": r["title_html"],
			"heading": r["heading"],
			"snippet_html": r["snippet_html"],
			"other_language": r.get("other_language", False),
			"language_label": r.get("language_label", ""),
			"url": f"/knowledge/{quote(r['article'])}?deflection={quote(key)}",
		}
		for r in rows
	]
	return answer


@frappe.whitelist(allow_guest=True, methods=["POST"])
def solved(session: str, article: str) -> dict:
	"""The customer confirms that `article`, suggested on their ticket form, solved their problem."""
	check_rate("deflection", SOLVED_PER_MINUTE)
	deflection.solved(session, article)
	return {"message": _("Glad it helped. You do not need to submit a ticket for this.")}


def labels() -> dict[str, str]:
	"""The suggestion box's words in the visitor's language."""
	return {
		"heading": _("These articles may answer your question"),
		"hint": _("Opens in a new tab. If an article solves your problem, say so there: no ticket needed."),
	}

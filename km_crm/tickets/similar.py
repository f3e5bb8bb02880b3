"""Resolved tickets like the one an agent is working on, for the ticket panel: searched in the ticket
index (tickets/ticket_index.py) within the scopes the agent may open, with the resolution that
solved each."""

import frappe
from frappe import _

from km_crm import constants as C
from km_crm.knowledge.sanitize import html_to_text
from km_crm.search import engines, semantic, service
from km_crm.search.backend import Filters, SearchBackendError
from km_crm.search.highlight import highlight
from km_crm.tickets import ticket_access, ticket_types

SIMILAR_TICKETS = 5


def similar_tickets(
	text: str, exclude: str | None = None, limit: int = SIMILAR_TICKETS, suggestions: bool = False
) -> list[dict]:
	"""Resolved tickets like this one that the session user may open, best first (`suggestions`: only
	good matches, as for suggested articles)."""
	if not frappe.get_cached_doc("KM Settings").index_resolved_tickets:
		return []
	scopes = ticket_access.scopes_for()
	if not scopes:
		return []
	try:
		hits = (service.suggest_articles if suggestions else service.search_articles)(
			engines.ticket_backend(),
			text,
			Filters.of(audiences=(C.INTERNAL,), statuses=("Resolved",), scopes=scopes),
			limit=limit + 1,
			semantic=semantic.enabled(),
			question_means=semantic.question_means(),
		)
	except SearchBackendError:
		return []  # the engine is away: the panel still shows its articles (from the title fallback)
	out = []
	for hit in hits:
		if hit.article_id == exclude:
			continue
		doctype, name = ticket_types.parse_ticket_ref(hit.article_id)
		# defence in depth: the engine already filtered by scope; Frappe has the last word
		if not ticket_access.may_read(doctype, name):
			continue
		# the resolution is what the agent came for: highlighted when it matched, else an excerpt
		matched_resolution = hit.section == "resolution"
		out.append(
			{
				"ticket_doctype": doctype,
				"ticket_type": _(doctype),
				"ticket": name,
				"subject": hit.title,
				"title_html": hit.title_html,
				"snippet_html": None if matched_resolution else hit.snippet_html,
				"resolution_html": hit.snippet_html
				if matched_resolution
				else _excerpt(ticket_types.solving_reply(frappe.get_doc(doctype, name))),
				"route": ticket_types.route(doctype, name),
			}
		)
	return out[:limit]


def _excerpt(html: str, max_chars: int = 280) -> str:
	"""The reply as escaped plain text, cut at a sentence or word end (search/highlight.py)."""
	return highlight(" ".join(html_to_text(html).split()), (), max_chars=max_chars)

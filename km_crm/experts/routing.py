"""Routing to experts (KM Settings > Experts): a new ticket that Frappe's Assignment Rules left
unassigned goes to the best available expert within their capacity, always or only when no article
matches it. Runs as a job after the ticket's insert commits, so the Assignment Rules have run."""

import frappe
from frappe import _
from frappe.desk.form import assign_to

from km_crm import constants as C
from km_crm.experts import evidence, expertise, profiles, requests
from km_crm.experts.wording import resolved_like_this
from km_crm.knowledge.sanitize import html_to_text
from km_crm.search import engines, service
from km_crm.search.analysis import analyze, detect_language
from km_crm.search.backend import Filters, SearchBackendError
from km_crm.tickets import teams, ticket_types
from km_crm.tickets.ticket_text import suggestion_query


def enabled() -> bool:
	return bool(frappe.get_cached_doc("KM Settings").route_to_experts)


def on_ticket_insert(doc, method=None) -> None:
	"""doc_event after a ticket's insert (hooks.py): route it once the save (and its Assignment
	Rules) commit."""
	if enabled() and not ticket_types.is_resolved(doc):
		frappe.enqueue(
			"km_crm.experts.routing.route_new_ticket",
			queue="short",
			enqueue_after_commit=True,
			ticket_doctype=doc.doctype,
			ticket=doc.name,
		)


def route_new_ticket(ticket_doctype: str, ticket: str) -> str | None:
	"""Assign the ticket to the best expert when the rule applies; returns who, or None."""
	if not enabled() or not frappe.db.exists(ticket_doctype, ticket):
		return None
	doc = frappe.get_doc(ticket_doctype, ticket)
	if ticket_types.is_resolved(doc) or teams.handlers(ticket_doctype, [ticket]).get(ticket):
		return None  # somebody (or an Assignment Rule) took it
	text = f"{doc.subject or ''} {html_to_text(doc.get('description') or '')}"
	if frappe.get_cached_doc("KM Settings").route_when == C.ROUTE_NO_ARTICLE and _an_article_matches(doc):
		return None
	best = _best_expert(ticket_doctype, doc, text)
	if not best:
		return None
	reason = _reason(best)
	note = _("Routed to you as the expert ({0}): {1}").format(reason, doc.subject or doc.name)
	assign_to.add(
		{"assign_to": [best.user], "doctype": ticket_doctype, "name": ticket, "description": note},
		ignore_permissions=True,
	)
	requests.record(ticket_doctype, ticket, best.user, note, routed=True)
	return best.user


def _an_article_matches(doc) -> bool:
	query = suggestion_query(doc.subject, doc.get("description"))
	if not query:
		return False
	try:
		return bool(
			service.search_articles(
				engines.backend(),
				query,
				Filters.of(audiences=C.AUDIENCES),
				synonyms=engines.synonyms(),
				limit=1,
			)
		)
	except SearchBackendError:
		return False  # the engine is down: a person is the safer answer


def _best_expert(ticket_doctype: str, doc, text: str) -> expertise.Suggestion | None:
	candidates = teams.agents()
	load = teams.open_tickets(candidates)
	skills = evidence.ticket_skills(ticket_doctype, doc.get(ticket_types.TYPES[ticket_doctype].type_field))
	ranked = evidence.index().rank(
		analyze(text),
		skills,
		people=profiles.people(candidates, load),
		candidates=candidates,
		limit=5,
		language=detect_language(text),
	)
	return next((s for s in ranked if not s.at_capacity), None)


def _reason(s: expertise.Suggestion) -> str:
	figures = s.reasons(evidence.index().today)
	if figures["tickets"]:
		return resolved_like_this(figures["tickets"], figures["days"])
	if figures["articles"]:
		return _("wrote {0}").format(", ".join(figures["articles"]))
	return _("works on tickets of this kind")

"""doc_events of the ticket doctypes (Issue, HD Ticket): light, and never failing the save."""

import frappe

from km_crm.knowledge import article_links, deflection
from km_crm.search import semantic
from km_crm.tickets import ticket_index, ticket_types


def on_ticket_insert(doc, method=None) -> None:
	deflection.ticket_submitted(doc)  # routing to experts follows (hooks.py: experts.routing)


def on_ticket_update(doc, method=None) -> None:
	before = doc.get_doc_before_save()
	if before is None or _indexed_fields_changed(before, doc):
		ticket_index.enqueue_ticket(doc.doctype, doc.name)
		if ticket_types.is_resolved(doc) or (before and ticket_types.is_resolved(before)):
			semantic.enqueue(semantic.TICKETS_JOB)
	if ticket_types.is_resolved(doc) and not (before and ticket_types.is_resolved(before)):
		# experts asked to help: record the outcome; the expert index learns who resolved it
		frappe.enqueue(
			"km_crm.experts.requests.ticket_resolved",
			queue="short",
			enqueue_after_commit=True,
			ticket_doctype=doc.doctype,
			ticket=doc.name,
		)


def on_ticket_trash(doc, method=None) -> None:
	article_links.remove_ticket_links(doc.doctype, doc.name)
	ticket_index.enqueue_ticket(doc.doctype, doc.name, removed=True)


def _indexed_fields_changed(before, doc) -> bool:
	fields = ("status", "status_category", "subject", "description", "resolution_details")
	return any(before.get(f) != doc.get(f) for f in fields)

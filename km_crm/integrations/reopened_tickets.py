"""Tickets reopened: an Issue or HD Ticket going from a resolved or closed status back to an open one
is recorded in the history of the articles that solved it, which may then call for their review
(km_crm.knowledge.reverification). A doc_event of the ticket doctypes, never failing the save."""

import frappe

from km_crm.knowledge import reverification, reverification_rules
from km_crm.tickets import ticket_types


def on_ticket_update(doc, method=None) -> None:
	before = doc.get_doc_before_save()
	if before is None or not reverification_rules.is_reopen(
		ticket_types.is_resolved(before), ticket_types.is_resolved(doc)
	):
		return
	try:
		reverification.ticket_reopened(doc.doctype, doc.name, before.status, doc.status)
	except Exception:
		frappe.log_error(title=f"km_crm: recording the reopen of {doc.doctype} {doc.name} failed")

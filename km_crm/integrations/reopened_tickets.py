"""Tickets reopened: an Issue or HD Ticket going from a resolved or closed status back to an open one
is recorded in the history of the articles that solved it, which may then call for their review
(km_crm.knowledge.reverification). A doc_event of the ticket doctypes, never failing the save."""

import frappe

from km_crm.knowledge import reverification, reverification_rules
from km_crm.tickets import ticket_types


def on_ticket_change(doc, method=None) -> None:
	"""on_change: after a save, and after a status set with db_set (Frappe reopens an Issue that way
	when the customer's e-mail arrives); once per reopen, however often on_change runs for it."""
	before = doc.get_doc_before_save()
	if ticket_types.is_resolved(doc):
		doc.flags.km_reopen_recorded = False  # resolved again: its next reopen is a new one
	if (
		before is None
		or doc.flags.km_reopen_recorded
		or not reverification_rules.is_reopen(ticket_types.is_resolved(before), ticket_types.is_resolved(doc))
	):
		return
	doc.flags.km_reopen_recorded = True
	try:
		reverification.ticket_reopened(doc.doctype, doc.name, before.status, doc.status)
	except Exception:
		frappe.log_error(title=f"km_crm: recording the reopen of {doc.doctype} {doc.name} failed")

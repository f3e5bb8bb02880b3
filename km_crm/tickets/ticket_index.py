"""Keeps the index of resolved tickets (for "similar resolved tickets") in step with the tickets.

A ticket saved as resolved or closed is (re)indexed after the save commits; one reopened or deleted
leaves the index. A nightly reconcile repairs what was missed. Tickets are indexed as passages
(subject as title; description and resolution as sections) with their access keys, so the engine
filters by the reader's ticket permission (tickets/ticket_access.py).
"""

import frappe
from frappe.utils import cstr

from km_crm import testing
from km_crm.search import engines, indexer, semantic, service
from km_crm.tickets import ticket_access, ticket_types


def enabled() -> bool:
	return bool(frappe.get_cached_doc("KM Settings").index_resolved_tickets)


def enqueue_ticket(doctype: str, name: str, removed: bool = False) -> None:
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_import:
		return
	if testing.RUN:
		testing.RUN.index_now(index_ticket, doctype, name, removed=removed)
		return
	try:
		frappe.enqueue(
			"km_crm.tickets.ticket_index.index_ticket",
			queue="short",
			job_id=f"km_crm:ticket:{frappe.local.site}:{doctype}:{name}",
			deduplicate=True,
			enqueue_after_commit=True,
			doctype=doctype,
			name=name,
			removed=removed,
		)
	except Exception:
		# a save never fails because the queue is down: the nightly reconcile repairs the index
		frappe.log_error(title=f"km_crm: could not queue indexing of {doctype} {name}")


def index_ticket(doctype: str, name: str, removed: bool = False) -> None:
	record = None if removed else load_ticket(doctype, name)
	with indexer.retried_when_engine_away():
		engine = engines.ticket_backend()
		if record:
			service.index_articles(engine, [record])
		else:
			engine.delete([ticket_types.ticket_ref(doctype, name)])


def load_ticket(doctype: str, name: str) -> dict | None:
	"""The record the ticket index holds for a resolved ticket, or None (not resolved, gone, disabled)."""
	if not enabled() or not frappe.db.exists(doctype, name):
		return None
	doc = frappe.get_doc(doctype, name)
	if not ticket_types.is_resolved(doc):
		return None
	return {
		"name": ticket_types.ticket_ref(doctype, name),
		"title": doc.subject or "",
		"issue": doc.get("description") or "",
		"resolution": ticket_types.solving_reply(doc) or "",
		"language": None,  # detected from the text
		"audience": "Internal",
		"status": "Resolved",
		"modified": cstr(doc.modified),
		"scope": ticket_access.scope_keys(doc),
	}


def resolved_tickets() -> dict[str, str]:
	"""{ticket key: modified} of every resolved ticket."""
	if not enabled():
		return {}
	found = {}
	for doctype in ticket_types.installed():
		for row in frappe.get_all(
			doctype, filters=ticket_types.resolved_filters(doctype), fields=["name", "modified"]
		):
			found[ticket_types.ticket_ref(doctype, row.name)] = cstr(row.modified)
	return found


def enqueue_reconcile() -> None:
	indexer.enqueue_reconcile("km_crm.tickets.ticket_index.reconcile")


def reconcile() -> dict:
	"""Nightly: index resolved tickets that are missing or stale, drop the ones no longer resolved."""
	plan = service.reconcile(
		engines.ticket_backend(),
		resolved_tickets(),
		lambda key: load_ticket(*ticket_types.parse_ticket_ref(key)),
	)
	return {"indexed": len(plan.to_index), "deleted": len(plan.to_delete)}


def embed_vectors() -> dict:
	"""The job (and nightly repair) of the resolved tickets' vectors, most recent first."""
	found = resolved_tickets()
	return semantic.embed_records(
		engines.ticket_backend(),
		[
			(key, lambda key=key: load_ticket(*ticket_types.parse_ticket_ref(key)))
			for key in sorted(found, key=found.get, reverse=True)
		],
	)

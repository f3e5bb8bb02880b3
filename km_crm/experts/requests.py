"""Experts asked to help on tickets (KM Expert Request) and how it ended: written when an agent asks,
completed when the ticket is resolved (a job, after the save commits)."""

import frappe
from frappe.utils import now_datetime, time_diff_in_hours

from km_crm.experts import evidence
from km_crm.tickets import teams

ASKED, RESOLVED = "Asked", "Resolved"


def record(ticket_doctype: str, ticket: str, expert: str, note: str, routed: bool = False) -> str:
	"""An expert asked by the session user, or `routed` by the rule (nobody asked)."""
	return (
		frappe.get_doc(
			{
				"doctype": "KM Expert Request",
				"ticket_doctype": ticket_doctype,
				"ticket": ticket,
				"expert": expert,
				"asked_by": None if routed else frappe.session.user,
				"routed": int(routed),
				"asked_on": now_datetime(),
				"note": note,
				"status": ASKED,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def open_requests(ticket_doctype: str, ticket: str) -> list:
	return frappe.get_all(
		"KM Expert Request",
		filters={"ticket_doctype": ticket_doctype, "ticket": ticket, "status": ASKED},
		fields=["name", "expert", "asked_on"],
	)


def ticket_resolved(ticket_doctype: str, ticket: str) -> None:
	"""The outcome of each open request on the ticket: resolved with the expert when they were still
	assigned, and the hours from asking to resolution. Then the expert index learns it."""
	pending = open_requests(ticket_doctype, ticket)
	if not pending:
		evidence.add_resolved(ticket_doctype, ticket)
		return
	handlers = teams.handlers(ticket_doctype, [ticket]).get(ticket, set())
	now = now_datetime()
	for request in pending:
		frappe.db.set_value(
			"KM Expert Request",
			request.name,
			{
				"status": RESOLVED,
				"resolved_on": now,
				"resolved_by_expert": int(request.expert in handlers),
				"hours_to_resolution": round(max(0.0, time_diff_in_hours(now, request.asked_on)), 2),
			},
		)
	evidence.add_resolved(ticket_doctype, ticket)

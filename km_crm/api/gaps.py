"""Knowledge gaps: the button that runs the ticket-gap job now, and a gap's own actions."""

import frappe
from frappe import _

from km_crm import constants as C
from km_crm.gaps import ticket_gaps
from km_crm.search import semantic

RUNNERS = frozenset({C.ROLE_COACH, C.ROLE_MANAGER, C.ROLE_SYSTEM_MANAGER})


@frappe.whitelist(methods=["POST"])
def find_now() -> str:
	"""Queue the search for gaps in the tickets (coaches and managers)."""
	if not RUNNERS & set(frappe.get_roles()):
		frappe.throw(
			_("Only KM Coaches and KM Managers can look for knowledge gaps."), frappe.PermissionError
		)
	if not semantic.enabled():
		frappe.throw(
			_("Gaps from tickets need Search by Meaning: switch it on in KM Search Settings."),
			title=_("Search by Meaning is off"),
		)
	ticket_gaps.enqueue()
	return _(
		"Looking for knowledge gaps in the resolved tickets. New gaps appear here and in your ToDo list in a few minutes."
	)


@frappe.whitelist(methods=["POST"])
def write_article(gap: str) -> str:
	"""A draft article for the gap, owned by the caller and linked to it (its name)."""
	return frappe.get_doc(ticket_gaps.GAP, gap).write_article()


@frappe.whitelist(methods=["POST"])
def dismiss(gap: str, reason: str) -> None:
	"""Close the gap as needing no article, with the coach's reason."""
	frappe.get_doc(ticket_gaps.GAP, gap).dismiss(reason)

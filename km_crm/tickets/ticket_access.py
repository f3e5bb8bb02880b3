"""Which resolved tickets a user may read, as access scopes the ticket index filters on in the engine.

Frappe decides: a user whose role reads a ticket doctype with no restriction (no "only if owner", no
User Permission, no permission query such as Helpdesk's team rule) may read every ticket of it;
anyone else gets the names of the resolved tickets Frappe's own list query returns for them (the
most recent ones, up to a cap). Search then cannot return, count or quote any other ticket.
"""

import frappe
from frappe.desk.reportview import build_match_conditions
from frappe.permissions import get_role_permissions

from km_crm import constants as C
from km_crm.tickets import ticket_types

MAX_LISTED_TICKETS = 2000


def scopes_for(user: str | None = None) -> tuple[dict[str, tuple[str, ...]], ...]:
	user = user or frappe.session.user
	if user == "Guest":
		return ()
	scopes = []
	for doctype in ticket_types.installed():
		scope = _doctype_scope(doctype, user)
		if scope:
			scopes.append(scope)
	return tuple(scopes)


def may_read(doctype: str, name: str) -> bool:
	"""Whether the session user may open this ticket; False once it is gone (the ticket index and the
	experts' evidence are refreshed in the background, so they may name a ticket deleted a moment ago)."""
	return bool(frappe.db.exists(doctype, name)) and frappe.has_permission(doctype, "read", doc=name)


def _doctype_scope(doctype: str, user: str) -> dict | None:
	if not frappe.has_permission(doctype, "read", user=user):
		return None
	if _reads_every_ticket(doctype, user):
		return {"doctype": (doctype,)}
	names = frappe.get_list(
		doctype,
		filters=ticket_types.resolved_filters(doctype),
		pluck="name",
		order_by="modified desc",
		limit_page_length=MAX_LISTED_TICKETS,
		user=user,
	)
	return {"doctype": (doctype,), "name": tuple(names)} if names else None


def _reads_every_ticket(doctype: str, user: str) -> bool:
	if user == C.ADMINISTRATOR:
		return True
	perms = get_role_permissions(frappe.get_meta(doctype), user=user)
	if not perms.get("read") or (perms.get("if_owner") or {}).get("read"):
		return False
	return not build_match_conditions(doctype, user=user)


def scope_keys(doc) -> list[str]:
	"""What the ticket index stores of a ticket to match the scopes above."""
	from km_crm.search.backend import scope_key

	return [scope_key("doctype", doc.doctype), scope_key("name", doc.name)]

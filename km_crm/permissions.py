"""Scripted permission rules for knowledge records."""

import frappe

from km_crm.governance import lifecycle


def article_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	"""A KM Candidate edits only the articles they own; everyone else follows the role permissions.

	Returning None leaves the decision to the standard role permissions.
	"""
	user = user or frappe.session.user
	if ptype not in ("write", "delete") or user == "Administrator":
		return None
	roles = set(frappe.get_roles(user))
	if roles & {
		lifecycle.ROLE_CONTRIBUTOR,
		lifecycle.ROLE_PUBLISHER,
		lifecycle.ROLE_COACH,
		lifecycle.ROLE_MANAGER,
		"System Manager",
	}:
		return None
	if (
		lifecycle.ROLE_CANDIDATE in roles
		and not doc.is_new()
		and doc.get("article_owner") not in (None, "", user)
	):
		return False
	return None

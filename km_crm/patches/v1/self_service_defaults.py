"""Self-service settings are new: upgraded sites start with what new installs get (suggestions on,
potential deflection after an hour)."""

import frappe

from km_crm.knowledge.deflection_rules import DEFAULT_WINDOW_MINUTES


def execute():
	if not _stored():
		return  # settings never saved: every field reads its default
	for field, value in (
		("suggest_on_ticket_forms", 1),
		("deflection_window_minutes", DEFAULT_WINDOW_MINUTES),
	):
		if not _stored(field):
			frappe.db.set_single_value("KM Settings", field, value)


def _stored(field: str | None = None) -> bool:
	filters = {"doctype": "KM Settings", **({"field": field} if field else {})}
	return bool(frappe.qb.get_query(table="Singles", filters=filters, fields="value", limit=1).run())

"""Uninstall hooks: remove every custom field, property setter, form script and link to the knowledge
base km_crm put on other apps."""

import frappe

from km_crm.integrations import entry_points
from km_crm.setup.custom_fields import LEGACY_FIELDS, TICKET_DOCTYPES_OF, field_names


def before_uninstall():
	for doctypes in TICKET_DOCTYPES_OF.values():
		for doctype in doctypes:
			remove_custom_fields(doctype, [*field_names(), *LEGACY_FIELDS])
	remove_helpdesk_form_script()
	entry_points.remove_entry_points()


def before_app_uninstall(app_name: str):
	if app_name == "helpdesk":
		remove_custom_fields("HD Ticket", [*field_names(), *LEGACY_FIELDS])
		remove_helpdesk_form_script()
		entry_points.remove_helpdesk_redirects()


def remove_custom_fields(doctype: str, fieldnames: list[str]):
	for name in frappe.get_all(
		"Custom Field", filters={"dt": doctype, "fieldname": ("in", fieldnames)}, pluck="name"
	):
		frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	for name in frappe.get_all(
		"Property Setter", filters={"doc_type": doctype, "field_name": ("in", fieldnames)}, pluck="name"
	):
		frappe.delete_doc("Property Setter", name, ignore_permissions=True, force=True)
	frappe.clear_cache(doctype=doctype)


def remove_helpdesk_form_script():
	if frappe.db.exists("DocType", "HD Form Script"):
		from km_crm.integrations.helpdesk.form_script import remove_form_script

		remove_form_script()

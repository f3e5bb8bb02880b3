"""Uninstall hooks: remove every custom field and property setter km_crm put on other apps' doctypes."""

import frappe

from km_crm.setup.custom_fields import erpnext_custom_fields, helpdesk_custom_fields


def before_uninstall():
	remove_custom_fields({**erpnext_custom_fields(), **helpdesk_custom_fields()})


def before_app_uninstall(app_name: str):
	if app_name == "helpdesk":
		remove_custom_fields(helpdesk_custom_fields())


def remove_custom_fields(definitions: dict[str, list[dict]]):
	for doctype, fields in definitions.items():
		fieldnames = [f["fieldname"] for f in fields]
		for name in frappe.get_all(
			"Custom Field", filters={"dt": doctype, "fieldname": ("in", fieldnames)}, pluck="name"
		):
			frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		for name in frappe.get_all(
			"Property Setter", filters={"doc_type": doctype, "field_name": ("in", fieldnames)}, pluck="name"
		):
			frappe.delete_doc("Property Setter", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)

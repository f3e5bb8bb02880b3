"""Install hooks. Every step is idempotent: running install or migrate twice changes nothing."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from km_crm.roles import KM_ROLES
from km_crm.setup.custom_fields import erpnext_custom_fields, helpdesk_custom_fields


def helpdesk_installed() -> bool:
	return "helpdesk" in frappe.get_installed_apps()


def after_install():
	ensure_roots()
	add_custom_fields()


def after_migrate():
	ensure_roots()
	add_custom_fields()
	from km_crm.search.indexer import enqueue_reconcile

	enqueue_reconcile()  # an upgrade may change the index layout: refill what the engine lacks


def ensure_roots():
	ensure_roles()
	ensure_root_category()
	ensure_search_settings()


def ensure_search_settings():
	"""Store the settings' defaults once, and the defaults of settings added by an upgrade."""
	if not frappe.db.get_single_value("KM Search Settings", "backend"):
		frappe.get_single("KM Search Settings").save(ignore_permissions=True)
		return
	stored = frappe.db.get_singles_dict("KM Search Settings")
	for df in frappe.get_meta("KM Search Settings").fields:
		if df.default is not None and df.fieldname not in stored and df.fieldtype not in ("Password",):
			frappe.db.set_single_value("KM Search Settings", df.fieldname, df.default)


def after_app_install(app_name: str):
	if app_name == "helpdesk":
		add_custom_fields()


def ensure_roles():
	for role in KM_ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)


def ensure_root_category():
	from km_crm.knowledge.doctype.km_category.km_category import ROOT_CATEGORY

	if not frappe.db.exists("KM Category", ROOT_CATEGORY):
		frappe.get_doc({"doctype": "KM Category", "category_name": ROOT_CATEGORY, "is_group": 1}).insert(
			ignore_permissions=True
		)


def add_custom_fields():
	create_custom_fields(erpnext_custom_fields(), ignore_validate=True, update=True)
	if helpdesk_installed() and frappe.db.exists("DocType", "HD Ticket"):
		create_custom_fields(helpdesk_custom_fields(), ignore_validate=True, update=True)

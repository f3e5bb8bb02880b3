"""Install hooks. Every step is idempotent: running install or migrate twice changes nothing."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from km_crm import constants as C
from km_crm.setup.custom_fields import TICKET_DOCTYPES_OF, insertion_point, ticket_fields


def helpdesk_installed() -> bool:
	return "helpdesk" in frappe.get_installed_apps()


def after_install():
	ensure_roots()
	ensure_point_rules()
	add_reader_roles(C.DEFAULT_READER_ROLES)
	add_custom_fields()
	add_helpdesk_form_script()
	from km_crm.integrations import entry_points

	entry_points.add_entry_points()  # once: a later migrate keeps what the administrator changed


def after_migrate():
	ensure_roots()
	ensure_point_rules()
	add_custom_fields()
	add_helpdesk_form_script()
	from km_crm.search import indexer, semantic
	from km_crm.tickets import ticket_index

	# an upgrade may change the index layout: refill what the engines lack, and make the search
	# vectors that are missing (a first install of search by meaning, or a new model)
	indexer.enqueue_reconcile()
	ticket_index.enqueue_reconcile()
	semantic.enqueue(semantic.ARTICLES_JOB, after_commit=False)
	semantic.enqueue(semantic.TICKETS_JOB, after_commit=False)
	semantic.enqueue(semantic.QUESTIONS_JOB, after_commit=False)


def after_app_install(app_name: str):
	if app_name == "helpdesk":
		add_custom_fields()
		add_reader_roles(("Agent", "Agent Manager"))
		add_helpdesk_form_script()
		from km_crm.integrations import entry_points

		entry_points.add_helpdesk_redirects()


def ensure_roots():
	from km_crm.knowledge import audit

	audit.site_key()  # the audit trail's key lives in site_config.json, outside the database
	ensure_roles()
	ensure_root_category()
	ensure_search_settings()


def ensure_point_rules():
	"""Recognition: the shipped Energy Point Rules a site lacks (an administrator's changes stay)."""
	from km_crm.roi import point_rules

	point_rules.ensure_rules()


def ensure_search_settings():
	"""Store the settings' defaults once, and the defaults of settings added by an upgrade."""
	if not frappe.db.get_single_value("KM Search Settings", "backend"):
		frappe.get_single("KM Search Settings").save(ignore_permissions=True)
		return
	stored = frappe.db.get_singles_dict("KM Search Settings")
	for df in frappe.get_meta("KM Search Settings").fields:
		if df.default is not None and df.fieldname not in stored and df.fieldtype not in ("Password",):
			frappe.db.set_single_value("KM Search Settings", df.fieldname, df.default)


def add_reader_roles(roles) -> None:
	"""Add these roles (those that exist here) to the desk roles that read every audience."""
	settings = frappe.get_single("KM Settings")
	have = {row.role for row in settings.reader_roles}
	for role in roles:
		if role not in have and frappe.db.exists("Role", role):
			settings.append("reader_roles", {"role": role})
	settings.save(ignore_permissions=True)


def ensure_roles():
	for role in C.KM_ROLES:
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
	"""The knowledge section on each ticket form, after the description's section (no standard field
	changes section)."""
	apps = frappe.get_installed_apps()
	for app, doctypes in TICKET_DOCTYPES_OF.items():
		if app not in apps:
			continue
		for doctype in doctypes:
			if not frappe.db.exists("DocType", doctype):
				continue
			frappe.clear_cache(doctype=doctype)
			own = [
				(df.fieldname, df.fieldtype)
				for df in frappe.get_meta(doctype).fields
				if not df.get("is_custom_field")
			]
			create_custom_fields(
				{doctype: ticket_fields(insertion_point(own))}, ignore_validate=True, update=True
			)


def add_helpdesk_form_script():
	if helpdesk_installed():
		from km_crm.integrations.helpdesk.form_script import ensure_form_script

		ensure_form_script()

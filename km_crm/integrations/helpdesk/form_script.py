"""Installs the knowledge panel into Helpdesk's agent UI as an HD Form Script (Helpdesk's own
extension point), and removes it with km_crm or with Helpdesk. The script's source is agent_panel.js."""

from pathlib import Path

import frappe

SCRIPT_NAME = "km_crm Knowledge Panel"
SOURCE = Path(__file__).with_name("agent_panel.js")


def ensure_form_script() -> None:
	script = SOURCE.read_text(encoding="utf-8")
	if frappe.db.exists("HD Form Script", SCRIPT_NAME):
		doc = frappe.get_doc("HD Form Script", SCRIPT_NAME)
		if doc.script != script:  # an upgrade brings a new panel; enabling stays the admin's choice
			doc.script = script
			doc.save(ignore_permissions=True)
		return
	doc = frappe.get_doc(
		{
			"doctype": "HD Form Script",
			"dt": "HD Ticket",
			"apply_to": "Form",
			"enabled": 1,
			"script": script,
			"apply_to_customer_portal": 0,
			"apply_on_new_page": 0,
		}
	)
	doc.name = SCRIPT_NAME
	doc.insert(ignore_permissions=True)


def remove_form_script() -> None:
	if frappe.db.exists("HD Form Script", SCRIPT_NAME):
		frappe.delete_doc("HD Form Script", SCRIPT_NAME, ignore_permissions=True, force=True)

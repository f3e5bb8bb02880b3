"""Installs km_crm's pieces of Helpdesk's UI as HD Form Scripts (Helpdesk's own extension point), and
removes them with km_crm or with Helpdesk: the knowledge panel on the agent's ticket page
(agent_panel.js) and the suggestions on the customer's new-ticket page (customer_suggestions.js;
Helpdesk runs new-page scripts for agents' and customers' new-ticket pages alike, the script acts on
the customer's only)."""

from pathlib import Path

import frappe

HERE = Path(__file__).parent
#: name: (source file, on the new-ticket page)
SCRIPTS = {
	"km_crm Knowledge Panel": ("agent_panel.js", 0),
	"km_crm Self-Service Suggestions": ("customer_suggestions.js", 1),
}


def ensure_form_script() -> None:
	for name, (source, new_page) in SCRIPTS.items():
		_ensure(name, (HERE / source).read_text(encoding="utf-8"), new_page)


def _ensure(name: str, script: str, new_page: int) -> None:
	if frappe.db.exists("HD Form Script", name):
		doc = frappe.get_doc("HD Form Script", name)
		if doc.script != script:  # an upgrade brings a new script; enabling stays the admin's choice
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
			"apply_on_new_page": new_page,
		}
	)
	doc.name = name
	doc.insert(ignore_permissions=True)


def remove_form_script() -> None:
	for name in SCRIPTS:
		if frappe.db.exists("HD Form Script", name):
			frappe.delete_doc("HD Form Script", name, ignore_permissions=True, force=True)

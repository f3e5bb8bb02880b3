"""Demo support history, loaded by `km_crm.demo.loader.load`: a support agent, a sales user, two customers
with contacts and addresses (one contact also a portal user), and tickets, open and resolved, as
ERPNext Issues and, when Helpdesk is installed, as HD Tickets, with the articles that solved them;
then months of history for the ROI and KCS reports (history.py), the coach's monthly link checks
(link_checks.py), the teams that handled it (teams.py), and who in the company knows the customers
(relationships.py). Running it again adds nothing twice."""

import frappe

from km_crm import constants as C
from km_crm.demo import history, link_checks, relationships, teams
from km_crm.demo.ticket_content import AGENTS, CUSTOMERS, TICKETS
from km_crm.demo.users import ensure_user
from km_crm.knowledge import article_links
from km_crm.tickets import ticket_types

COUNTRY_OF = {"Globex Trading": "United States", "华东贸易有限公司": "China"}
PORTAL_USER = next(c["contact"][2] for c in CUSTOMERS if c["portal_user"])


def load(article_names: dict[str, str], password: str) -> int:
	"""Create what is missing; return the number of tickets created."""
	frappe.set_user("Administrator")
	_agents(password)
	contacts = {c["customer_name"]: _customer(c, password) for c in CUSTOMERS}
	agent = AGENTS[0][0]
	created = 0
	for doctype in ticket_types.installed():
		for spec in TICKETS:
			if frappe.db.exists(doctype, {"subject": spec["subject"]}):
				continue
			name = _ticket(doctype, spec, contacts[spec["customer"]], agent)
			solved_by = article_names.get(spec.get("solved_by"))
			if solved_by:
				article_links.add_link(solved_by, doctype, name, C.LINK_SOLVED, user=agent)
			created += 1
	frappe.set_user("Administrator")
	portal = next(c for c in CUSTOMERS if c["portal_user"])
	history.load(article_names, agent, {**contacts[portal["customer_name"]], "user": PORTAL_USER})
	link_checks.load()
	teams.load(password, history.default_company())
	relationships.load(history.default_company())
	frappe.set_user("Administrator")
	return created


def _agents(password: str) -> None:
	helpdesk = frappe.db.exists("DocType", "HD Agent")
	for email, full_name, roles, km_roles in AGENTS:
		ensure_user(email, full_name, [*roles, *km_roles], password)
		if helpdesk and "Support Team" in roles and not frappe.db.exists("HD Agent", email):
			frappe.get_doc(
				{"doctype": "HD Agent", "user": email, "agent_name": full_name, "is_active": 1}
			).insert(ignore_permissions=True)


def _customer(spec: dict, password: str) -> dict:
	name = spec["customer_name"]
	if not frappe.db.exists("Customer", name):
		frappe.get_doc({"doctype": "Customer", "customer_name": name, "customer_type": "Company"}).insert(
			ignore_permissions=True
		)
	if frappe.db.exists("DocType", "HD Customer") and not frappe.db.exists("HD Customer", name):
		frappe.get_doc({"doctype": "HD Customer", "customer_name": name}).insert(ignore_permissions=True)
	first, last, email, phone = spec["contact"]
	contact = frappe.db.get_value("Contact", {"email_id": email})
	if not contact:
		links = [{"link_doctype": "Customer", "link_name": name}]
		if frappe.db.exists("HD Customer", name):
			links.append({"link_doctype": "HD Customer", "link_name": name})
		contact = (
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": first,
					"last_name": last,
					"email_ids": [{"email_id": email, "is_primary": 1}],
					"phone_nos": [{"phone": phone, "is_primary_phone": 1}],
					"links": links,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	line1, city, pincode = spec["address"]
	if not frappe.db.exists("Address", {"address_line1": line1}):
		frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": name,
				"address_type": "Billing",
				"address_line1": line1,
				"city": city,
				"pincode": pincode,
				"country": COUNTRY_OF.get(name, "United States"),
				"links": [{"link_doctype": "Customer", "link_name": name}],
			}
		).insert(ignore_permissions=True)
	if spec["portal_user"]:
		ensure_user(email, f"{first} {last}", [C.CUSTOMER_ROLE], password, website=True)
	return {"customer": name, "contact": contact, "email": email}


def _ticket(doctype: str, spec: dict, contact: dict, agent: str) -> str:
	frappe.set_user(agent)
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			"subject": spec["subject"],
			"description": spec["description"],
			"raised_by": contact["email"],
			"contact": contact["contact"],
			"customer": contact["customer"],
		}
	).insert(ignore_permissions=True)
	if doctype == C.ISSUE:
		_message(doc, "Received", spec["description"], contact["email"])
	if spec.get("resolution"):
		_message(doc, "Sent", spec["resolution"], agent)
		doc.reload()
		doc.resolution_details = spec["resolution"]
		doc.status = spec["status"]
		doc.save(ignore_permissions=True)
	return doc.name


def _message(doc, direction: str, content: str, sender: str) -> None:
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": direction,
			"subject": doc.subject,
			"content": content,
			"sender": sender,
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
		}
	).insert(ignore_permissions=True)

"""An organisation the company deals with, and the touches its users have had with it (Frappe glue
for km_crm.relationships.relationships).

A Customer, Lead, Opportunity or Contact stands for an organisation: a Customer with the Lead it
came from, its Contacts, Opportunities and Quotations; a Lead likewise (with the Customer it became);
an Opportunity or a Contact for the party it belongs to. With Frappe CRM installed, a CRM Deal stands
for its organisation's deals (their contacts and leads), a CRM Lead for itself and its deals. Touches are read from Communications
(emails both ways with its contacts, or filed on its records), Events with its contacts or records,
ToDos on its records, Opportunities and Quotations users own, and standing roles: the Customer's
account manager and Sales Team, the Lead's owner.
"""

from dataclasses import dataclass, field

import frappe
from frappe.utils import getdate, parse_addr, split_emails, today

from km_crm.relationships import relationships

ERPNEXT_DOCTYPES = ("Customer", "Lead", "Opportunity", "Contact")
FRAPPE_CRM_DOCTYPES = ("CRM Deal", "CRM Lead")  # only when Frappe CRM is installed
ORGANISATION_DOCTYPES = ERPNEXT_DOCTYPES + FRAPPE_CRM_DOCTYPES
MAX_EMAILS = 30  # contacts' addresses searched in Communications' recipients


@dataclass
class Organisation:
	customers: set[str] = field(default_factory=set)
	leads: set[str] = field(default_factory=set)
	crm_deals: set[str] = field(default_factory=set)
	crm_leads: set[str] = field(default_factory=set)
	contacts: dict[str, str] = field(default_factory=dict)  # email -> Contact name
	records: set[tuple[str, str]] = field(default_factory=set)  # its documents

	def add_contact(self, email: str | None, contact: str | None) -> None:
		if email:
			self.contacts.setdefault(email.strip().lower(), contact or email.strip().lower())


def resolve(doctype: str, name: str) -> Organisation:
	org = Organisation()
	if doctype == "Customer":
		org.customers.add(name)
	elif doctype == "Lead":
		org.leads.add(name)
	elif doctype == "Opportunity":
		party_type, party = frappe.db.get_value("Opportunity", name, ["opportunity_from", "party_name"])
		_add_party(org, party_type, party)
		org.records.add(("Opportunity", name))
	elif doctype == "Contact":
		for link in frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Contact", "parent": name, "link_doctype": ("in", ("Customer", "Lead"))},
			fields=["link_doctype", "link_name"],
		):
			_add_party(org, link.link_doctype, link.link_name)
		for email in frappe.get_all("Contact Email", filters={"parent": name}, pluck="email_id"):
			org.add_contact(email, name)
		org.records.add(("Contact", name))
	elif doctype in FRAPPE_CRM_DOCTYPES:
		_frappe_crm(org, doctype, name)
	# a Lead and the Customer it became are one organisation
	if org.leads:
		org.customers.update(
			frappe.get_all("Customer", filters={"lead_name": ("in", org.leads)}, pluck="name")
		)
	if org.customers:
		org.leads.update(
			lead
			for lead in frappe.get_all("Customer", filters={"name": ("in", org.customers)}, pluck="lead_name")
			if lead
		)
	for party_type, parties in (("Customer", org.customers), ("Lead", org.leads)):
		if not parties:
			continue
		org.records.update((party_type, p) for p in parties)
		for contact in frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Contact", "link_doctype": party_type, "link_name": ("in", parties)},
			pluck="parent",
		):
			org.records.add(("Contact", contact))
			for email in frappe.get_all("Contact Email", filters={"parent": contact}, pluck="email_id"):
				org.add_contact(email, contact)
		for opp in frappe.get_all(
			"Opportunity",
			filters={"opportunity_from": party_type, "party_name": ("in", parties)},
			pluck="name",
		):
			org.records.add(("Opportunity", opp))
		for quotation in frappe.get_all(
			"Quotation",
			filters={"quotation_to": party_type, "party_name": ("in", parties), "docstatus": ("<", 2)},
			pluck="name",
		):
			org.records.add(("Quotation", quotation))
	for lead in org.leads:
		org.add_contact(frappe.db.get_value("Lead", lead, "email_id"), None)
	return org


def _frappe_crm(org: Organisation, doctype: str, name: str) -> None:
	"""A Frappe CRM deal: all deals of its organisation; a CRM lead: itself and its deals."""
	if doctype == "CRM Deal":
		organisation = frappe.db.get_value("CRM Deal", name, "organization")
		deals = (
			frappe.get_all("CRM Deal", filters={"organization": organisation}, pluck="name")
			if organisation
			else []
		)
		org.crm_deals.update(deals or [name])
	else:
		org.crm_leads.add(name)
		org.crm_deals.update(frappe.get_all("CRM Deal", filters={"lead": name}, pluck="name"))
	for deal in frappe.get_all(
		"CRM Deal", filters={"name": ("in", sorted(org.crm_deals) or [""])}, fields=["name", "lead", "email"]
	):
		if deal.lead:
			org.crm_leads.add(deal.lead)
		org.add_contact(deal.email, None)
	for row in frappe.get_all(
		"CRM Contacts",
		filters={"parenttype": "CRM Deal", "parent": ("in", sorted(org.crm_deals) or [""])},
		fields=["contact", "email"],
	):
		org.add_contact(row.email, row.contact)
		if row.contact:
			org.records.add(("Contact", row.contact))
	for lead in frappe.get_all(
		"CRM Lead", filters={"name": ("in", sorted(org.crm_leads) or [""])}, fields=["name", "email"]
	):
		org.add_contact(lead.email, None)
	org.records.update(("CRM Deal", d) for d in org.crm_deals)
	org.records.update(("CRM Lead", lead) for lead in org.crm_leads)


def _add_party(org: Organisation, party_type: str | None, party: str | None) -> None:
	if party_type == "Customer" and party:
		org.customers.add(party)
	elif party_type == "Lead" and party:
		org.leads.add(party)


def internal_users() -> set[str]:
	"""People of the company: enabled desk users (not the Administrator account)."""
	return set(
		frappe.get_all(
			"User",
			filters={
				"enabled": 1,
				"user_type": "System User",
				"name": ("not in", ("Administrator", "Guest")),
			},
			pluck="name",
		)
	)


def touches(org: Organisation) -> list[relationships.Touch]:
	staff = internal_users()
	out: list[relationships.Touch] = []
	out += _email_touches(org, staff)
	out += _event_touches(org, staff)
	by_doctype: dict[str, list[str]] = {}
	for doctype, name in org.records:
		by_doctype.setdefault(doctype, []).append(name)
	for todo in (
		frappe.get_all(
			"ToDo",
			filters={
				"reference_type": ("in", list(by_doctype)),
				"reference_name": ("in", [n for names in by_doctype.values() for n in names]),
				"status": ("!=", "Cancelled"),
			},
			fields=["name", "allocated_to", "reference_type", "reference_name", "creation"],
		)
		if by_doctype
		else []
	):
		if todo.allocated_to in staff and todo.reference_name in by_doctype.get(todo.reference_type, ()):
			out.append(
				relationships.Touch(todo.allocated_to, relationships.TODO, todo.creation, f"ToDo/{todo.name}")
			)
	for opp in frappe.get_all(
		"Opportunity",
		filters={"name": ("in", by_doctype.get("Opportunity") or [""])},
		fields=["name", "opportunity_owner", "owner", "transaction_date", "contact_email"],
	):
		user = opp.opportunity_owner or opp.owner
		if user in staff:
			out.append(
				relationships.Touch(
					user,
					relationships.OPPORTUNITY,
					opp.transaction_date,
					f"Opportunity/{opp.name}",
					_who(org, opp.contact_email),
				)
			)
	for quotation in frappe.get_all(
		"Quotation",
		filters={"name": ("in", by_doctype.get("Quotation") or [""])},
		fields=["name", "owner", "transaction_date", "contact_email"],
	):
		if quotation.owner in staff:
			out.append(
				relationships.Touch(
					quotation.owner,
					relationships.QUOTATION,
					quotation.transaction_date,
					f"Quotation/{quotation.name}",
					_who(org, quotation.contact_email),
				)
			)
	out += _standing_touches(org, staff)
	return out


def _who(org: Organisation, email: str | None) -> str | None:
	return org.contacts.get((email or "").strip().lower())


def _addresses(value: str | None) -> set[str]:
	found = (parse_addr(a)[1] for a in split_emails(value or ""))
	return {a.strip().lower() for a in found if a and a.strip()}


def _email_touches(org: Organisation, staff: set[str]) -> list[relationships.Touch]:
	"""Emails between users and the organisation's contacts, or filed on its records."""
	comm = frappe.qb.DocType("Communication")
	link = frappe.qb.DocType("Communication Link")
	names: set[str] = set()
	emails = sorted(org.contacts)[:MAX_EMAILS]
	conditions = []
	if emails:
		conditions.append(comm.sender.isin(emails))
		conditions += [comm.recipients.like(f"%{e}%") for e in emails]
		conditions += [comm.cc.like(f"%{e}%") for e in emails]
	for doctype, name in org.records:
		conditions.append((comm.reference_doctype == doctype) & (comm.reference_name == name))
	if conditions:
		where = conditions[0]
		for c in conditions[1:]:
			where = where | c
		names.update(
			frappe.qb.from_(comm)
			.select(comm.name)
			.where((comm.communication_medium == "Email") & where)
			.run(pluck=True)
		)
	for doctype in {d for d, _n in org.records}:
		linked = [n for d, n in org.records if d == doctype]
		names.update(
			frappe.qb.from_(link)
			.select(link.parent)
			.where((link.link_doctype == doctype) & link.link_name.isin(linked))
			.run(pluck=True)
		)
	out = []
	if not names:
		return out
	for c in frappe.get_all(
		"Communication",
		filters={"name": ("in", list(names)), "communication_medium": "Email"},
		fields=["name", "sender", "recipients", "cc", "sent_or_received", "communication_date", "creation"],
	):
		on = c.communication_date or c.creation
		ref = f"Communication/{c.name}"
		sender = (c.sender or "").strip().lower()
		others = _addresses(c.recipients) | _addresses(c.cc)
		if c.sent_or_received == "Sent":
			if sender in staff:
				contact = next((org.contacts[a] for a in sorted(others) if a in org.contacts), None)
				out.append(relationships.Touch(sender, relationships.EMAIL_SENT, on, ref, contact))
		else:
			contact = org.contacts.get(sender)
			for user in sorted(others & staff):
				out.append(relationships.Touch(user, relationships.EMAIL_RECEIVED, on, ref, contact))
	return out


def _event_touches(org: Organisation, staff: set[str]) -> list[relationships.Touch]:
	"""Meetings: Events with the organisation's contacts or on its records, for their organiser."""
	participants = frappe.qb.DocType("Event Participants")
	conditions = [
		(participants.reference_doctype == doctype) & (participants.reference_docname == name)
		for doctype, name in org.records
	]
	if org.contacts:
		conditions.append(participants.email.isin(sorted(org.contacts)))
	if not conditions:
		return []
	where = conditions[0]
	for c in conditions[1:]:
		where = where | c
	rows = (
		frappe.qb.from_(participants)
		.select(
			participants.parent,
			participants.reference_doctype,
			participants.reference_docname,
			participants.email,
		)
		.where(where)
		.run(as_dict=True)
	)
	contact_of = {row.parent: row.reference_docname for row in rows if row.reference_doctype == "Contact"}
	contact_of.update(
		{row.parent: _who(org, row.email) for row in rows if row.email and row.parent not in contact_of}
	)
	out = []
	for event in frappe.get_all(
		"Event",
		filters={"name": ("in", list({row.parent for row in rows}) or [""]), "status": ("!=", "Cancelled")},
		fields=["name", "owner", "starts_on"],
	):
		if event.owner in staff:
			out.append(
				relationships.Touch(
					event.owner,
					relationships.MEETING,
					event.starts_on,
					f"Event/{event.name}",
					contact_of.get(event.name),
				)
			)
	return out


def _standing_touches(org: Organisation, staff: set[str]) -> list[relationships.Touch]:
	"""The Customer's account manager and Sales Team, the Lead's owner: roles, dated today."""
	now = getdate(today())
	out = []
	for customer in org.customers:
		manager = frappe.db.get_value("Customer", customer, "account_manager")
		if manager in staff:
			out.append(
				relationships.Touch(manager, relationships.ACCOUNT_MANAGER, now, f"Customer/{customer}")
			)
		for person in frappe.get_all(
			"Sales Team",
			filters={"parenttype": "Customer", "parent": customer},
			pluck="sales_person",
		):
			employee = frappe.db.get_value("Sales Person", person, "employee")
			user = employee and frappe.db.get_value("Employee", employee, "user_id")
			if user in staff:
				out.append(relationships.Touch(user, relationships.SALES_TEAM, now, f"Customer/{customer}"))
	for lead in org.leads:
		owner = frappe.db.get_value("Lead", lead, "lead_owner")
		if owner in staff:
			out.append(relationships.Touch(owner, relationships.ACCOUNT_MANAGER, now, f"Lead/{lead}"))
	for lead in org.crm_leads:
		owner = frappe.db.get_value("CRM Lead", lead, "lead_owner")
		if owner in staff:
			out.append(relationships.Touch(owner, relationships.ACCOUNT_MANAGER, now, f"CRM Lead/{lead}"))
	for deal in org.crm_deals:
		owner, modified = frappe.db.get_value("CRM Deal", deal, ["deal_owner", "modified"])
		if owner in staff:
			out.append(relationships.Touch(owner, relationships.OPPORTUNITY, modified, f"CRM Deal/{deal}"))
	return out

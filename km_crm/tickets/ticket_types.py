"""What km_crm reads from a ticket: ERPNext's Issue and, when installed, Helpdesk's HD Ticket.

One description per ticket doctype (fields, resolved statuses, routes), so the panel, capture,
similar tickets and the ticket index treat both alike.
"""

from dataclasses import dataclass

import frappe
from frappe import _

from km_crm import constants as C
from km_crm.knowledge.sanitize import html_to_text


@dataclass(frozen=True)
class TicketType:
	doctype: str
	customer_doctype: str  # what the `customer` field links to
	resolved_statuses: tuple[str, ...]  # Helpdesk adds its statuses of category Resolved (resolved_filters)
	desk_route: str  # route prefix of the desk form
	type_field: str  # the ticket's type (Issue Type, HD Ticket Type): what expertise and the ROI group by
	agent_route: str | None = None  # route prefix of Helpdesk's agent UI
	company_field: str | None = None
	team_field: str | None = None


TYPES = {
	C.ISSUE: TicketType(
		doctype=C.ISSUE,
		customer_doctype="Customer",
		resolved_statuses=("Resolved", "Closed"),
		desk_route="/app/issue/",
		type_field="issue_type",
		company_field="company",
	),
	C.HD_TICKET: TicketType(
		doctype=C.HD_TICKET,
		customer_doctype="HD Customer",
		resolved_statuses=("Resolved", "Closed"),
		desk_route="/app/hd-ticket/",
		type_field="ticket_type",
		agent_route="/helpdesk/tickets/",
		team_field="agent_group",
	),
}


def ticket_ref(doctype: str, name: str) -> str:
	"""The one way km_crm names a ticket of either doctype: "Issue/ISS-0001", "HD Ticket/42" (expert
	evidence, the ROI figures, the ticket index's document ids)."""
	return f"{doctype}/{name}"


def parse_ticket_ref(ref: str) -> tuple[str, str]:
	doctype, _sep, name = ref.partition("/")
	return doctype, name


def resolved_statuses(doctype: str) -> list[str]:
	"""The statuses in which a ticket of `doctype` counts as resolved: the type's own and, for
	Helpdesk, every HD Ticket Status of category Resolved (teams add their own)."""
	statuses = list(TYPES[doctype].resolved_statuses)
	if doctype == C.HD_TICKET and frappe.db.exists("DocType", "HD Ticket Status"):
		statuses += frappe.get_all("HD Ticket Status", filters={"category": "Resolved"}, pluck="name")
	return sorted(set(statuses))


def resolved_filters(doctype: str) -> dict:
	return {"status": ("in", resolved_statuses(doctype))}


def installed() -> list[str]:
	"""Ticket doctypes present on this site (HD Ticket only with Helpdesk)."""
	return [dt for dt in TYPES if frappe.db.exists("DocType", dt)]


def ticket_type(doctype: str) -> TicketType:
	if doctype not in TYPES or not frappe.db.exists("DocType", doctype):
		frappe.throw(_("{0} is not a ticket type km_crm knows.").format(doctype), frappe.ValidationError)
	return TYPES[doctype]


def get_ticket(doctype: str, name: str, ptype: str = "read"):
	"""The ticket, after checking the session user may `ptype` it (Frappe's own ticket permissions)."""
	ticket_type(doctype)
	if not frappe.db.exists(doctype, name):
		frappe.throw(_("Ticket {0} was not found.").format(name), frappe.DoesNotExistError)
	doc = frappe.get_doc(doctype, name)
	doc.check_permission(ptype)
	return doc


def is_resolved(doc) -> bool:
	if doc.doctype == C.HD_TICKET and doc.get("status_category") == "Resolved":
		return True
	return doc.get("status") in resolved_statuses(doc.doctype)


def route(doctype: str, name: str) -> str:
	t = TYPES[doctype]
	return f"{t.agent_route or t.desk_route}{name}"


def _latest_email(doc, direction: str) -> str:
	"""The newest email on the ticket (HTML): direction "Received" (customer) or "Sent" (agent)."""
	found = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
			"communication_type": "Communication",
			"sent_or_received": direction,
		},
		order_by="creation desc",
		limit=1,
		pluck="content",
	)
	return (found[0] or "") if found else ""


def latest_customer_message(doc) -> str:
	return html_to_text(_latest_email(doc, "Received"))


def solving_reply(doc) -> str:
	"""The text that solved the ticket: its resolution details, else the agent's last reply (HTML)."""
	if html_to_text(doc.get("resolution_details")):
		return doc.get("resolution_details")
	return _latest_email(doc, "Sent")


def contact_email(doc) -> str | None:
	email = (doc.get("raised_by") or "").strip()
	if not email and doc.get("contact"):
		email = frappe.db.get_value("Contact", doc.contact, "email_id") or ""
	return email.lower() or None


def personal_data(doc) -> dict:
	"""Names, addresses and document numbers tied to a ticket, for redaction."""
	names, addresses = set(), set()
	if doc.get("contact"):
		contact = frappe.db.get_value(
			"Contact", doc.contact, ["first_name", "last_name", "full_name"], as_dict=True
		)
		if contact:
			names.update(v for v in contact.values() if v)
	if doc.get("customer"):
		names.add(doc.customer)
		if doc.get("customer_name"):
			names.add(doc.customer_name)
		addresses.update(_addresses_of(TYPES[doc.doctype].customer_doctype, doc.customer))
	email = contact_email(doc)
	if email:
		user_name = frappe.db.get_value("User", email, "full_name")
		if user_name:
			names.add(user_name)
	return {"names": sorted(names), "addresses": sorted(addresses)}


def _addresses_of(link_doctype: str, link_name: str) -> list[str]:
	if not frappe.db.exists("DocType", "Address"):
		return []
	parents = frappe.get_all(
		"Dynamic Link",
		filters={"link_doctype": link_doctype, "link_name": link_name, "parenttype": "Address"},
		pluck="parent",
	)
	lines = []
	for row in frappe.get_all(
		"Address",
		filters={"name": ("in", parents)},
		fields=["address_line1", "address_line2", "city", "pincode"],
	):
		lines.extend(v for v in row.values() if v and len(str(v)) > 3)
	return lines

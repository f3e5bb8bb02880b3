"""What the capture browser journey (scripts/journeys/capture.py) needs on the test site: the demo's
solved POS closing ticket again, as an ERPNext Issue and (with Helpdesk) as an HD Ticket, each with
the customer's greeting and introduction, the agent's reply with its call-back and sign-off, and
nothing linked yet; the demo's live POS article it looks like.

	bench --site SITE execute km_crm.tests.journey_seed_capture.seed

The demo must be loaded. The tickets of an earlier run, and the drafts made from them, are deleted
first. Prints what the journey needs as JSON.
"""

import json

import frappe

from km_crm import constants as C
from km_crm.demo.loader import DEMO_PASSWORD
from km_crm.demo.relationships import POS_ARTICLE
from km_crm.demo.ticket_content import AGENTS, TICKETS
from km_crm.tickets import ticket_types

SPEC = next(t for t in TICKETS if t["key"] == "resolved-pos")
SUBJECT = SPEC["subject"].replace("store 12", "store 14")
DESCRIPTION = SPEC["description"].replace("</p>", "</p><p>Thanks,<br>Maria Lopez<br>Globex Trading</p>", 1)
RESOLUTION = f"<p>Hi Maria,</p>{SPEC['resolution']}<p>Best regards,<br>Sam Support</p>"
CONTACT_EMAIL = "maria.lopez@globex.example.com"


def seed() -> dict:
	agent = AGENTS[0][0]
	answer = {
		"agent": {"user": agent, "password": DEMO_PASSWORD},
		"article": frappe.db.get_value("KM Article", {"title": POS_ARTICLE}),
		"article_title": POS_ARTICLE,
		"tickets": {doctype: _ticket(doctype, agent) for doctype in ticket_types.installed()},
	}
	frappe.db.commit()
	print(json.dumps(answer, ensure_ascii=False))
	return answer


def _ticket(doctype: str, agent: str) -> str:
	_remove_earlier(doctype)
	frappe.set_user(agent)
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			"subject": SUBJECT,
			"description": DESCRIPTION,
			"raised_by": CONTACT_EMAIL,
			"contact": frappe.db.get_value("Contact", {"email_id": CONTACT_EMAIL}),
			"customer": "Globex Trading",
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": doc.subject,
			"content": RESOLUTION,
			"sender": agent,
			"reference_doctype": doctype,
			"reference_name": doc.name,
		}
	).insert(ignore_permissions=True)
	doc.reload()
	doc.resolution_details = RESOLUTION
	doc.status = "Resolved"
	doc.save(ignore_permissions=True)
	frappe.set_user("Administrator")
	return doc.name


def _remove_earlier(doctype: str) -> None:
	"""The tickets of an earlier run and the drafts made from them (their links go with the ticket), so
	the site holds one copy and the panel's similar tickets are not filled with them."""
	frappe.set_user("Administrator")
	for name in frappe.get_all(doctype, {"subject": SUBJECT}, pluck="name"):
		drafts = frappe.get_all(
			"KM Article Link",
			{"ticket_doctype": doctype, "ticket": name, "link_type": C.LINK_CREATED_FROM},
			pluck="article",
		)
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		for article in drafts:
			if frappe.db.exists("KM Article", article):
				frappe.delete_doc("KM Article", article, force=True, ignore_permissions=True)

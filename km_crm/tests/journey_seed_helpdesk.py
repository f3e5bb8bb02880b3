"""What the Helpdesk agent's browser journey (scripts/journeys/helpdesk_agent.py) needs on the test
site: an open HD Ticket of the demo's portal customer (who may read Customer and Public articles)
asking how to reset a password, with nothing linked to it; the demo's live Public article that answers
it and a live Internal article that must not be sent to the customer; the knowledge panel's HD Form
Script as the app ships it; the search index holding the live articles.

	bench --site SITE execute km_crm.tests.journey_seed_helpdesk.seed

The demo must be loaded. Running it again reuses the ticket and removes the links an earlier run
left on it. On a site without Helpdesk it prints {"helpdesk": false, "reason": ...} and does nothing.
"""

import json

import frappe

from km_crm import constants as C
from km_crm.demo.content import ARTICLES
from km_crm.demo.loader import DEMO_PASSWORD
from km_crm.demo.ticket_content import AGENTS, TICKETS
from km_crm.demo.tickets import PORTAL_USER
from km_crm.integrations.helpdesk import form_script
from km_crm.knowledge import article_links
from km_crm.knowledge.sanitize import html_to_text
from km_crm.search import indexer

SPEC = next(t for t in TICKETS if t["key"] == "open-password")
SUBJECT = "The password reset e-mail never arrives"
ANSWER = next(a for a in ARTICLES if a["key"] == "reset-password")  # Public
INTERNAL = next(a for a in ARTICLES if a["key"] == "negative-stock")  # Internal


def seed() -> dict:
	if "helpdesk" not in frappe.get_installed_apps():
		answer = {"helpdesk": False, "reason": "Helpdesk is not installed on this site"}
		print(json.dumps(answer))
		return answer
	frappe.set_user("Administrator")
	form_script.ensure_form_script()  # the panel as this checkout ships it
	agent = AGENTS[0][0]
	ticket = _ticket(agent)
	for link in article_links.links_of_ticket("HD Ticket", ticket):
		if link.link_type != C.LINK_CREATED_FROM:
			article_links.remove_link(link.name)
	indexer.rebuild()  # the served site searches its own index: exactly the live articles, as they are now
	frappe.db.commit()
	answer = {
		"helpdesk": True,
		"agent": {"user": agent, "password": DEMO_PASSWORD},
		"ticket": ticket,
		"answer": {**_live(ANSWER["title"]), "first_line": _first_line(ANSWER["title"])},
		"internal": _live(INTERNAL["title"]),
	}
	print(json.dumps(answer, ensure_ascii=False))
	return answer


def _ticket(agent: str) -> str:
	name = frappe.db.get_value("HD Ticket", {"subject": SUBJECT, "status": "Open"}, "name")
	if name:
		return name
	frappe.set_user(agent)
	doc = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": SUBJECT,
			"description": SPEC["description"],
			"raised_by": PORTAL_USER,
			"contact": frappe.db.get_value("Contact", {"email_id": PORTAL_USER}),
			"customer": SPEC["customer"],
		}
	).insert(ignore_permissions=True)
	frappe.set_user("Administrator")
	return doc.name


def _live(title: str) -> dict:
	name = frappe.db.get_value("KM Article", {"title": title, "published_version": ("is", "set")}, "name")
	if not name:
		raise SystemExit(f"no live demo article {title!r}: load the demo first")
	return {"name": name, "title": title}


def _first_line(title: str) -> str:
	"""The first line of the article's live resolution, as the agent will see it in the reply."""
	version = frappe.db.get_value("KM Article", {"title": title}, "published_version")
	snapshot = json.loads(frappe.db.get_value("KM Article Version", version, "snapshot") or "{}")
	return html_to_text(snapshot.get("resolution")).splitlines()[0]

"""Demo history for the ROI and KCS reports, loaded by `km_crm.setup.demo.load`: four months of
resolved ERPNext Issues (some solved with a demo article, some without), customers' visits to the
ticket form with their outcomes, programme costs, and KM ROI Settings. Seeded random numbers, so
every site gets the same history. Running it again adds nothing twice."""

import random

import frappe
from frappe.utils import add_months, add_to_date, get_first_day, getdate, today

from km_crm import constants as C
from km_crm.knowledge import article_links

MARK = "km_crm demo history"  # in every programme cost's description: the history is loaded once
#: ticket type, priority, the demo article that solves its problem, hours with / without it
STREAMS = (
	("Access", "Medium", "reset-password", (1.0, 3.0), (4.0, 9.0)),
	("Billing", "High", "invoice-tax", (3.0, 8.0), (10.0, 26.0)),
)
SUBJECTS = {
	"Access": (
		"Cannot log in after several attempts",
		"Password reset link needed",
		"Locked out of the portal",
	),
	"Billing": (
		"Invoice shows the old tax rate",
		"Tax amount wrong after template change",
		"Totals ignore the new tax",
	),
}
MONTHS = 4
PER_MONTH = 6  # tickets per stream and month; about half are solved with the article


def load(article_names: dict[str, str], agent: str, customer: dict) -> bool:
	"""Create the history unless it is there; True when it was created."""
	if frappe.db.exists("KM Program Cost", {"description": ("like", f"%{MARK}%")}):
		return False
	rng = random.Random(7)
	company = default_company()
	_settings(company)
	start = get_first_day(add_months(today(), -(MONTHS - 1)))
	for month in range(MONTHS):
		first = getdate(add_months(start, month))
		for issue_type, priority, key, with_article, without in STREAMS:
			_issue_type(issue_type)
			for n in range(PER_MONTH):
				solved = article_names.get(key) if n % 2 == 0 else None
				hours = rng.uniform(*(with_article if solved else without))
				_ticket(issue_type, priority, first, rng, hours, solved, agent, customer)
		_visits(first, rng, article_names, customer)
		_costs(first, company)
	return True


def default_company() -> str | None:
	return frappe.db.get_single_value("Global Defaults", "default_company") or frappe.db.get_value(
		"Company", {}, "name"
	)


def _settings(company: str | None) -> None:
	settings = frappe.get_single("KM ROI Settings")
	if settings.assisted_ticket_cost or settings.agent_hourly_cost:
		return  # an administrator's figures stay
	settings.update(
		{
			"company": company,
			"agent_hourly_cost": 40,
			"handling_hours": 0.75,
			"self_service_cost": 0.5,
			"potential_deflection_weight": 50,
		}
	)
	settings.save(ignore_permissions=True)


def _issue_type(name: str) -> None:
	if not frappe.db.exists("Issue Type", name):
		frappe.get_doc({"doctype": "Issue Type", "__newname": name}).insert(ignore_permissions=True)


def _ticket(issue_type, priority, first, rng, hours, solved, agent, customer) -> None:
	opened = add_to_date(first, days=rng.randint(0, 26), hours=rng.randint(8, 17))
	doc = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": rng.choice(SUBJECTS[issue_type]),
			"raised_by": customer["email"],
			"customer": customer["customer"],
			"issue_type": issue_type,
			"priority": priority if frappe.db.exists("Issue Priority", priority) else None,
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value(
		"Issue",
		doc.name,
		{
			"status": "Closed",
			"opening_date": getdate(opened),
			"opening_time": opened.time(),
			"resolution_time": hours * 3600,
		},
		update_modified=False,
	)
	if solved:
		link = article_links.add_link(solved, C.ISSUE, doc.name, C.LINK_SOLVED, user=agent)
		frappe.db.set_value("KM Article Link", link, "linked_on", add_to_date(opened, hours=hours))


def _visits(first, rng, article_names: dict[str, str], customer: dict) -> None:
	"""Customers' visits to the ticket form this month, with what became of them."""
	outcomes = (
		[C.OUTCOME_DEFLECTED] * 4
		+ [C.OUTCOME_POTENTIAL] * 6
		+ [C.OUTCOME_SUBMITTED] * 3
		+ [C.OUTCOME_NOTHING_OPENED] * 2
	)
	for outcome in outcomes:
		article = article_names.get(rng.choice(("reset-password", "invoice-tax")))
		started = add_to_date(first, days=rng.randint(0, 26), hours=rng.randint(8, 20))
		session = frappe.get_doc(
			{
				"doctype": "KM Deflection Session",
				"channel": C.CHANNEL_ERPNEXT_PORTAL,
				"outcome": outcome,
				"is_final": 1,
				"user": customer["user"],
				"visitor": f"user:{customer['user']}",
				"started_on": started,
				"last_event_on": started,
				"articles_opened": 0 if outcome == C.OUTCOME_NOTHING_OPENED else 1,
				"solved_article": article if outcome == C.OUTCOME_DEFLECTED else None,
				"shown_articles": frappe.as_json([article]),
			}
		)
		session.flags.km_append = True
		session.insert(ignore_permissions=True)
		steps = [(C.EVENT_SHOWN, None)]
		if outcome != C.OUTCOME_NOTHING_OPENED:
			steps.append((C.EVENT_OPENED, article))
		if outcome == C.OUTCOME_DEFLECTED:
			steps.append((C.EVENT_SOLVED, article))
		if outcome == C.OUTCOME_SUBMITTED:
			steps.append((C.EVENT_SUBMITTED, None))
		for minutes, (event, on) in enumerate(steps):
			doc = frappe.get_doc(
				{
					"doctype": "KM Deflection Event",
					"session": session.name,
					"event": event,
					"occurred_on": add_to_date(started, minutes=minutes * 2),
					"channel": C.CHANNEL_ERPNEXT_PORTAL,
					"article": on,
					"articles": frappe.as_json([article]) if event == C.EVENT_SHOWN else None,
				}
			)
			doc.flags.km_append = True
			doc.insert(ignore_permissions=True)


def _costs(first, company: str | None) -> None:
	if not company:
		return
	for category, description, hours, rate, amount in (
		("People", "Knowledge coach: article reviews and coaching", 5, 45, None),
		("Tooling", "Hosting and search", None, None, 60),
	):
		frappe.get_doc(
			{
				"doctype": "KM Program Cost",
				"posting_date": first,
				"category": category,
				"company": company,
				"description": f"{description} ({MARK})",
				"hours": hours,
				"hourly_rate": rate,
				"amount": amount or 0,
			}
		).insert(ignore_permissions=True)

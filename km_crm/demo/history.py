"""Demo history for the ROI and KCS reports, loaded by `km_crm.demo.loader.load`: four months of
resolved ERPNext Issues (some solved with a demo article, some without), customers' visits to the
ticket form with their outcomes, programme costs, and KM ROI Settings. Seeded random numbers, so
every site gets the same history. Running it again adds nothing twice. Nothing is dated after the
moment it is loaded: this month's history fills only the part of the month that has passed."""

import random
from datetime import datetime, timedelta

import frappe
from frappe.utils import add_months, add_to_date, get_datetime, get_first_day, getdate, now_datetime, today

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
MONTH_SPAN = timedelta(days=27)  # the draws spread a month's history over its first 27 days
VISIT_MINUTES = 10  # a visit's events follow its start within this


def load(article_names: dict[str, str], agent: str, customer: dict) -> bool:
	"""Create the history unless it is there; True when it was created."""
	settle_future(customer)
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


def squeeze(first, drawn: datetime, lasting_hours: float = 0, now: datetime | None = None) -> datetime | None:
	"""`drawn`, a moment of the month starting `first`, moved (keeping its place in the month) into
	the part of the month that has passed, so that it and the `lasting_hours` after it are not in the
	future; unchanged when they are not; None when too little of the month has passed."""
	start = get_datetime(first)
	latest = (now or now_datetime()) - timedelta(hours=lasting_hours)
	if drawn <= latest:
		return drawn
	if latest <= start:
		return None
	return start + (drawn - start) * ((latest - start) / MONTH_SPAN)


def _ticket(issue_type, priority, first, rng, hours, solved, agent, customer) -> None:
	opened = squeeze(first, add_to_date(first, days=rng.randint(0, 26), hours=rng.randint(8, 17)), hours)
	if opened is None:
		return
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
		started = squeeze(
			first, add_to_date(first, days=rng.randint(0, 26), hours=rng.randint(8, 20)), VISIT_MINUTES / 60
		)
		if started is None:
			continue
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


def settle_future(customer: dict) -> None:
	"""Move the history an earlier demo dated in the future (its visits, tickets and their links) into
	the part of their month that has passed, as a new load would date them."""
	now = now_datetime()
	for name, started in frappe.get_all(
		"KM Deflection Session",
		filters={"visitor": f"user:{customer['user']}", "started_on": (">", now)},
		fields=["name", "started_on"],
		as_list=True,
	):
		started = get_datetime(started)
		moved = squeeze(get_first_day(started), started, VISIT_MINUTES / 60, now) or now - timedelta(
			minutes=VISIT_MINUTES
		)
		shift = moved - started
		frappe.db.set_value(
			"KM Deflection Session",
			name,
			{"started_on": moved, "last_event_on": moved},
			update_modified=False,
		)
		for event, occurred in frappe.get_all(
			"KM Deflection Event", filters={"session": name}, fields=["name", "occurred_on"], as_list=True
		):
			frappe.db.set_value(
				"KM Deflection Event",
				event,
				"occurred_on",
				get_datetime(occurred) + shift,
				update_modified=False,
			)
	subjects = [s for stream in SUBJECTS.values() for s in stream]
	for issue in frappe.get_all(
		"Issue",
		filters={
			"raised_by": customer["email"],
			"subject": ("in", subjects),
			"opening_date": (">=", get_first_day(now)),
		},
		fields=["name", "opening_date", "opening_time", "resolution_time"],
	):
		opened = get_datetime(f"{issue.opening_date} {issue.opening_time or '00:00:00'}")
		hours = (issue.resolution_time or 0) / 3600
		if opened + timedelta(hours=hours) <= now:
			continue
		moved = squeeze(get_first_day(opened), opened, hours, now) or now - timedelta(hours=hours)
		frappe.db.set_value(
			"Issue",
			issue.name,
			{"opening_date": moved.date(), "opening_time": moved.time()},
			update_modified=False,
		)
		for link in frappe.get_all(
			"KM Article Link", filters={"ticket_doctype": "Issue", "ticket": issue.name}, pluck="name"
		):
			frappe.db.set_value(
				"KM Article Link", link, "linked_on", moved + timedelta(hours=hours), update_modified=False
			)


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

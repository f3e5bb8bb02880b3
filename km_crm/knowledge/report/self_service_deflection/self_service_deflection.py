"""Self-Service Deflection: per article, how often it was suggested on customers' ticket forms,
opened, confirmed as the answer, and left customers without the need for a ticket.

Counted in deflection sessions started in the period (deflection_rules.py): confirmed deflections
are "this solved my problem" with no ticket after it; a potential deflection counts for each article
the session opened; sessions still inside their window are not yet counted as either."""

import frappe
from frappe import _
from frappe.utils import add_days, add_to_date, flt, getdate, now_datetime, today

from km_crm import constants as C
from km_crm import scheduler
from km_crm.knowledge import deflection, deflection_rules


def execute(filters=None):
	filters = frappe._dict(filters or {})
	since = getdate(filters.from_date or add_days(today(), -30))
	until = add_days(getdate(filters.to_date or today()), 1)
	outcomes, _months, events = deflection.sessions_and_events(since, until, filters.channel)
	figures = deflection_rules.article_figures(outcomes, events)
	titles = dict(
		frappe.get_all(
			"KM Article",
			filters={"name": ("in", [f.article for f in figures])},
			fields=["name", "title"],
			as_list=True,
		)
	)
	rows = [{**vars(f), "title": titles.get(f.article, "")} for f in figures]
	return columns(), rows, message(), chart(rows), summary(outcomes.values())


def message() -> str:
	"""What a session and its outcomes are, on the report's page; and why sessions wait, when they do."""
	minutes = deflection.window_minutes()
	lines = [
		_(
			'A session is one visit to a customer ticket form. Its outcome waits for the window after its last event ({0} minutes, set in KM Settings): a ticket submitted within it counts as Ticket Submitted; without one, "this solved my problem" counts as a confirmed deflection and an opened article as a potential deflection.'
		).format(minutes),
		_(
			"Still in Their Window: sessions whose window has not passed yet, or that the hourly settling job has not reached; they count as neither until then."
		),
	]
	late = frappe.db.count(
		deflection.SESSION,
		{"is_final": 0, "last_event_on": ("<=", add_to_date(now_datetime(), minutes=-minutes))},
	)
	if late:
		lines.append(
			_("{0} sessions are past their window and wait for the scheduler to settle them.").format(late)
		)
		lines.append(scheduler.off_note())
	return scheduler.paragraphs(*lines)


def chart(rows: list[dict], top: int = 10) -> dict | None:
	"""Confirmed and potential deflections of the articles that deflected most."""
	rows = [r for r in rows if r["confirmed"] or r["potential"]][:top]
	if not rows:
		return None
	return {
		"data": {
			# titles, as readers know the articles; short legend names, as frappe-charts gives each 150 px
			"labels": [frappe.utils.escape_html(r["title"] or r["article"]) for r in rows],
			"datasets": [
				{"name": _("Confirmed"), "values": [r["confirmed"] for r in rows]},
				{"name": _("Potential"), "values": [r["potential"] for r in rows]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"truncateLegends": 0,
	}


def columns():
	return [
		{
			"fieldname": "article",
			"label": _("Article"),
			"fieldtype": "Link",
			"options": "KM Article",
			"width": 120,
		},
		{"fieldname": "title", "label": _("Title"), "fieldtype": "Data", "width": 280},
		{"fieldname": "suggested", "label": _("Suggested"), "fieldtype": "Int", "width": 100},
		{"fieldname": "opened", "label": _("Opened"), "fieldtype": "Int", "width": 90},
		{"fieldname": "confirmed", "label": _("Confirmed Deflections"), "fieldtype": "Int", "width": 190},
		{"fieldname": "potential", "label": _("Potential Deflections"), "fieldtype": "Int", "width": 180},
		{
			"fieldname": "submitted_after_opening",
			"label": _("Ticket Submitted After Opening"),
			"fieldtype": "Int",
			"width": 240,
		},
	]


def summary(outcomes) -> list[dict]:
	outcomes = list(outcomes)
	count = {o: outcomes.count(o) for o in C.DEFLECTION_OUTCOMES}
	rate = deflection_rules.self_service_rate(outcomes)
	cards = [
		{"value": len(outcomes), "label": _("Sessions"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": count[C.OUTCOME_DEFLECTED],
			"label": _("Confirmed Deflections"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": count[C.OUTCOME_POTENTIAL],
			"label": _("Potential Deflections"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": count[C.OUTCOME_SUBMITTED],
			"label": _("Tickets Submitted Anyway"),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{
			"value": count[C.OUTCOME_OPEN],
			"label": _("Still in Their Window"),
			"datatype": "Int",
			"indicator": "Grey",
		},
	]
	if rate is not None:
		cards.append(
			{
				"value": f"{flt(rate * 100, 1)}%",
				"label": _("Self-Service Success Rate"),
				"datatype": "Data",
				"indicator": "Blue",
			}
		)
	return cards

"""Number Cards of the Knowledge workspace (type Custom): each reads the same figures as the reports,
for the caller who may read the card's document type.

Frappe shows a card only to who may read its document type, so the workspace puts cards of the same
readers on one row (knowledge workers: KM Article; coaches and managers: KM Deflection Session;
managers: KM Program Cost): a row is whole or absent, never a row with a hole."""

import frappe
from frappe.utils import get_first_day, getdate, now_datetime, today

from km_crm import constants as C
from km_crm.roi import calc, kcs_metrics, site_figures


def _month() -> dict:
	return {"from_date": get_first_day(today()), "to_date": today()}


def _may_read(doctype: str) -> None:
	if not frappe.has_permission(doctype, "read"):
		frappe.throw(frappe._("Not permitted"), frappe.PermissionError)


@frappe.whitelist()
def link_rate(filters=None) -> dict:
	"""Link rate of the tickets opened in the last 30 days."""
	_may_read("KM Article")
	scope = site_figures.scope({"from_date": frappe.utils.add_days(today(), -30), "to_date": today()})
	rate = kcs_metrics.link_rate(site_figures.closed_tickets(scope))
	return {"value": round((rate or 0) * 100, 1), "fieldtype": "Percent", "precision": 1}


@frappe.whitelist()
def deflections_this_month(filters=None) -> dict:
	"""Confirmed and potential deflections of the visits to ticket forms this month."""
	_may_read("KM Deflection Session")
	from km_crm.knowledge import deflection

	since, until = site_figures.period(_month())
	outcomes, _months, _events = deflection.sessions_and_events(since, until)
	deflected = [o for o in outcomes.values() if o in (C.OUTCOME_DEFLECTED, C.OUTCOME_POTENTIAL)]
	return {"value": len(deflected), "fieldtype": "Int", "route": ["query-report", "Self-Service Deflection"]}


@frappe.whitelist()
def self_service_success_this_month(filters=None) -> dict:
	"""Self-service success rate of the visits to ticket forms this month (KCS Metrics' figure)."""
	_may_read("KM Deflection Session")
	from km_crm.knowledge import deflection, deflection_rules

	since, until = site_figures.period(_month())
	outcomes, _months, _events = deflection.sessions_and_events(since, until)
	rate = deflection_rules.self_service_rate(outcomes.values())
	return {
		"value": round((rate or 0) * 100, 1),
		"fieldtype": "Percent",
		"precision": 1,
		"route": ["query-report", "Self-Service Deflection"],
	}


@frappe.whitelist()
def savings_this_month(filters=None) -> dict:
	"""What the knowledge base saved this month (Knowledge ROI's figure), in the company's currency."""
	_may_read("KM Program Cost")
	months = site_figures.programme_by_month(_month())
	currency = site_figures.assumptions().currency
	return {
		"value": calc.total(m["savings"] for m in months),
		"fieldtype": "Currency",
		"currency": currency,
		"route": ["query-report", "Knowledge ROI"],
	}


@frappe.whitelist()
def costs_this_month(filters=None) -> dict:
	"""Programme costs posted this month (KM Program Cost), what the savings beside it are set against."""
	_may_read("KM Program Cost")
	since, until = site_figures.period(_month())
	return {
		"value": calc.total(site_figures.costs_by_month(since, until).values()),
		"fieldtype": "Currency",
		"currency": site_figures.assumptions().currency,
		"route": ["query-report", "Knowledge ROI"],
	}


@frappe.whitelist()
def reviews_overdue(filters=None) -> dict:
	"""Open review rounds past their deadline, and live articles past their review date."""
	_may_read("KM Review")
	rounds = frappe.db.count("KM Review", {"status": C.REVIEW_OPEN, "deadline": ("<", now_datetime())})
	articles = frappe.db.count(
		"KM Article",
		{"status": ("in", C.LIVE_WORKING_COPY_STATUSES), "review_by": ("<", getdate(today()))},
	)
	return {"value": rounds + articles, "fieldtype": "Int"}

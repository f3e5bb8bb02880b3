"""Knowledge ROI: what the knowledge base saved, per article or per month, against what the
programme cost, in the company's currency, with the method and the assumptions on the page.
Every figure comes from km_crm.roi.site_figures (formulas in km_crm.roi.calc)."""

import frappe
from frappe import _
from frappe.utils import flt

from km_crm.roi import calc, site_figures


def execute(filters=None):
	filters = frappe._dict(filters or {})
	a = site_figures.assumptions()
	months = site_figures.programme_by_month(filters)
	savings = calc.total(m["savings"] for m in months) if a.ticket_cost is not None else None
	costs = calc.total(m["costs"] for m in months)
	summary = _summary(savings, costs, a)
	message = _method(a) + site_figures.scope_note(site_figures.scope(filters))
	if filters.view == "Months":
		shown = [{**m, "roi": None if m["roi"] is None else flt(m["roi"] * 100, 1)} for m in months]
		return _month_columns(), shown, message, _chart(months), summary
	return _article_columns(), site_figures.article_rows(filters), message, _chart(months), summary


def _money(fieldname: str, label: str, width: int = 140) -> dict:
	return {
		"fieldname": fieldname,
		"label": label,
		"fieldtype": "Currency",
		"options": "currency",
		"width": width,
	}


def _article_columns() -> list[dict]:
	return [
		{
			"fieldname": "article",
			"label": _("Article"),
			"fieldtype": "Link",
			"options": "KM Article",
			"width": 110,
		},
		{"fieldname": "title", "label": _("Title"), "fieldtype": "Data", "width": 240},
		{"fieldname": "tickets_solved", "label": _("Tickets Solved"), "fieldtype": "Int", "width": 130},
		{
			"fieldname": "hours_saved",
			"label": _("Resolution Hours Saved per Ticket"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 290,
		},
		{"fieldname": "interval", "label": _("95% Interval"), "fieldtype": "Data", "width": 130},
		{"fieldname": "compared", "label": _("Tickets Compared"), "fieldtype": "Int", "width": 150},
		{"fieldname": "comparable", "label": _("Comparable Tickets"), "fieldtype": "Int", "width": 160},
		{"fieldname": "confirmed", "label": _("Confirmed Deflections"), "fieldtype": "Int", "width": 180},
		{"fieldname": "potential", "label": _("Potential Deflections"), "fieldtype": "Int", "width": 170},
		_money("deflection_value", _("Deflection Savings"), 150),
		_money("resolution_value", _("Resolution Savings"), 150),
		_money("total_value", _("Total Savings"), 140),
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def _month_columns() -> list[dict]:
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 110},
		_money("deflection_value", _("Deflection Savings"), 160),
		_money("resolution_value", _("Resolution Savings"), 160),
		_money("savings", _("Total Savings"), 150),
		_money("costs", _("Programme Costs"), 150),
		{"fieldname": "roi", "label": _("ROI"), "fieldtype": "Percent", "precision": 1, "width": 110},
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def _summary(savings, costs, a: site_figures.Assumptions) -> list[dict]:
	ratio = calc.roi(savings, costs)
	cards = [
		{
			"value": savings,
			"label": _("Savings"),
			"datatype": "Currency",
			"currency": a.currency,
			"indicator": "Green",
		},
		{
			"value": costs,
			"label": _("Programme Costs"),
			"datatype": "Currency",
			"currency": a.currency,
			"indicator": "Orange",
		},
	]
	if ratio is not None:
		cards.append(
			{"value": f"{flt(ratio * 100, 1)}%", "label": _("ROI"), "datatype": "Data", "indicator": "Blue"}
		)
	return [c for c in cards if c["value"] is not None]


def _chart(months: list[dict]) -> dict | None:
	if not months:
		return None
	return {
		"data": {
			"labels": [m["month"] for m in months],
			"datasets": [
				{"name": _("Savings"), "values": [flt(m["savings"]) for m in months]},
				{"name": _("Programme Costs"), "values": [flt(m["costs"]) for m in months]},
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}


def _method(a: site_figures.Assumptions) -> str:
	e = frappe.utils.escape_html
	money = lambda v: frappe.format_value(v, {"fieldtype": "Currency"}, currency=a.currency)  # noqa: E731
	if a.ticket_cost is None:
		cost = _(
			"The cost of an assisted ticket is not set in KM ROI Settings: no money figure can be shown."
		)
	else:
		cost = _("An assisted ticket costs {0} ({1}).").format(money(a.ticket_cost), e(a.ticket_cost_basis))
	lines = [
		cost,
		_(
			"Deflections: a confirmed deflection saves an assisted ticket less the cost of a self-service session ({0}); a potential deflection counts at {1}%."
		).format(money(a.self_service_cost), flt(a.potential_weight * 100, 0)),
		_(
			"Resolution: each resolved ticket solved with an article is compared with resolved tickets of the same type, priority and month that had no article; the hours saved are the mean difference with a 95% interval, and are worth the same share of the ticket's cost. Tickets with fewer than {0} comparable tickets are not compared."
		).format(calc.MIN_COMPARABLE),
		_(
			"Resolution Hours Saved per Ticket are elapsed hours, from the ticket's opening to its resolution, not the agent's handling hours: a ticket solved a day sooner saves 24 of them. They are worth their share of the comparable tickets' resolution time, applied to the assisted ticket's cost."
		),
		_("ROI = (savings - programme costs) / programme costs, from KM Program Cost entries."),
	]
	return "<p>" + "</p><p>".join(lines) + "</p>"

"""KCS Metrics: the health of the knowledge practice; the definition of each figure is written above it.
Figures come from km_crm.roi.site_figures (what the site holds) and km_crm.roi.kcs_metrics (the formulas)."""

import frappe
from frappe import _
from frappe.utils import flt

from km_crm.knowledge import deflection_rules
from km_crm.roi import feeds, recognition, site_figures
from km_crm.roi import kcs_metrics as m


def execute(filters=None):
	filters = frappe._dict(filters or {})
	scope = site_figures.scope(filters)
	tickets = site_figures.closed_tickets(scope)
	published = site_figures.first_published_articles(scope)
	reuse, create = m.reuse_and_create(tickets)
	new, known = m.new_and_known(tickets)
	median, within_day = m.time_to_publish(published)
	agents = site_figures.agents(scope)
	contributors = site_figures.contributors(scope)
	buckets = m.reuse_buckets(site_figures.live_reuse_counts(scope))
	outcomes = site_figures.self_service_outcomes(scope)
	linked = sum(1 for t in tickets if t.links)
	cited = recognition.citations(scope)
	right, checked = m.links_checked(recognition.link_verdicts(scope))
	rows = [
		_row(
			_("Link rate"),
			_percent(m.link_rate(tickets)),
			_("{0} of {1} closed tickets").format(linked, len(tickets)),
			m.link_rate,
		),
		_row(
			_("Reuse against create"),
			f"{reuse} : {create}",
			_("{0} reused, {1} created").format(reuse, create),
			m.reuse_and_create,
		),
		_row(
			_("New against known"),
			f"{new} : {known}",
			_("{0} new, {1} known").format(new, known),
			m.new_and_known,
		),
		_row(
			_("Participation"),
			_percent(m.participation(contributors, agents)),
			_("{0} of {1} agents").format(*m.participants(contributors, agents)),
			m.participation,
		),
		_row(
			_("Time to publish (median)"),
			_("{0} h").format(flt(median, 1)) if median is not None else "",
			_("{0} articles first published").format(len(published)),
			m.hours_to_publish,
		),
		_row(
			_("Published within a day"),
			_percent(within_day),
			_("{0} of {1} articles first published").format(
				m.published_within_a_day(published), len(published)
			),
			m.time_to_publish,
		),
		_row(
			_("Articles by reuse"),
			_("{0} often, {1} rarely, {2} never").format(
				buckets["often"], buckets["rarely"], buckets["never"]
			),
			_("live articles"),
			m.reuse_buckets,
		),
		_row(
			_("Self-service success rate"),
			_percent(deflection_rules.self_service_rate(outcomes.values())),
			_("{0} ticket form sessions").format(len(outcomes)),
			deflection_rules.self_service_rate,
		),
		_row(
			_("Citation"),
			_("{0} reuses by others").format(sum(cited.values())),
			_("owners cited: {0}; most: {1}").format(len(cited), recognition.most_cited(cited))
			if cited
			else _("nobody's articles were reused by others"),
			m.citation,
		),
		_row(
			_("Link accuracy"),
			_percent(m.ratio(right, checked)),
			_("{0} of {1} checked links right").format(right, checked),
			m.link_accuracy,
		),
	]
	chart = {
		"data": {
			"labels": [_("Used often"), _("Used rarely"), _("Never used")],
			"datasets": [
				{"name": _("Articles"), "values": [buckets["often"], buckets["rarely"], buckets["never"]]}
			],
		},
		"type": "bar",
	}
	message = (
		"<ul>"
		+ "".join(f"<li>{frappe.utils.escape_html(r.pop('definition'))}</li>" for r in rows)
		+ "</ul>"
		+ ("" if cited else feeds.citations())
		+ ("" if checked else feeds.link_checks())
		+ site_figures.scope_note(scope)
	)
	return _columns(), rows, message, chart


def _columns():
	return [
		{"fieldname": "metric", "label": _("Metric"), "fieldtype": "Data", "width": 220},
		{"fieldname": "value", "label": _("Value"), "fieldtype": "Data", "width": 200},
		{"fieldname": "basis", "label": _("Out of"), "fieldtype": "Data", "width": 240},
	]


def _row(metric: str, value: str, basis: str, formula) -> dict:
	"""A metric with its definition: the first sentence of the formula's docstring, translated."""
	return {"metric": metric, "value": value, "basis": basis, "definition": _(_definition(formula))}


def _definition(formula) -> str:
	return " ".join((formula.__doc__ or "").split())


def _percent(value: float | None) -> str:
	return "" if value is None else f"{flt(value * 100, 1)}%"

"""The figures of the Knowledge ROI report, read from the site and computed by calc.py: the one place
reports, cards and tests take them from.

Tickets: resolved or closed ERPNext Issues (and Helpdesk HD Tickets when installed) opened in the
period, with a resolution time; grouped for comparison by ticket type, priority and month. A ticket
"has an article" when any article is linked to it; an article's tickets are those it is linked to
as "Solved". Deflections: the self-service sessions started in the period (deflection_rules.py).
Costs: KM Program Cost entries dated in the period."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Min
from frappe.utils import add_days, flt, get_datetime, getdate, today

from km_crm import constants as C
from km_crm.knowledge import deflection, deflection_rules
from km_crm.roi import calc, kcs_metrics

RESOLVED_STATUSES = ("Resolved", "Closed")
TICKET_TYPE_FIELD = {C.ISSUE: "issue_type", C.HD_TICKET: "ticket_type"}


@dataclass(frozen=True)
class Assumptions:
	currency: str | None
	ticket_cost: float | None
	ticket_cost_basis: str
	self_service_cost: float
	potential_weight: float  # 0..1


def assumptions() -> Assumptions:
	s = frappe.get_cached_doc("KM ROI Settings")
	currency = s.currency or (
		frappe.db.get_value("Company", s.company, "default_currency") if s.company else None
	)
	cost = calc.assisted_ticket_cost(s.assisted_ticket_cost, s.agent_hourly_cost, s.handling_hours)
	if s.assisted_ticket_cost:
		basis = _("given in KM ROI Settings")
	elif cost is not None:
		basis = _("agent hourly cost {0} x {1} hours of handling").format(
			frappe.format_value(s.agent_hourly_cost, {"fieldtype": "Currency"}, currency=currency),
			flt(s.handling_hours, 2),
		)
	else:
		basis = _("not set")
	weight = s.potential_deflection_weight
	return Assumptions(
		currency=currency,
		ticket_cost=cost,
		ticket_cost_basis=basis,
		self_service_cost=flt(s.self_service_cost),
		potential_weight=(50.0 if weight is None else flt(weight)) / 100,
	)


def period(filters) -> tuple:
	since = getdate(filters.get("from_date") or add_days(today(), -90))
	until = add_days(getdate(filters.get("to_date") or today()), 1)
	return since, until


def _resolved_rows(since, until) -> list:
	"""Resolved or closed tickets opened in [since, until), both ticket doctypes, with their type."""
	rows = []
	for doctype, type_field in TICKET_TYPE_FIELD.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		for row in frappe.get_all(
			doctype,
			filters={
				"status": ("in", RESOLVED_STATUSES),
				"opening_date": ("between", (since, add_days(until, -1))),
			},
			fields=["name", "opening_date", "opening_time", "priority", "resolution_time", type_field],
		):
			row.key, row.ticket_type = f"{doctype}/{row.name}", row.get(type_field) or ""
			rows.append(row)
	return rows


def resolved_tickets(since, until) -> tuple[list[calc.Resolved], dict[str, str]]:
	"""(tickets with a resolution time, {ticket key: month}) for the resolved tickets opened in the period."""
	linked = {
		f"{d}/{n}"
		for d, n in frappe.get_all("KM Article Link", fields=["ticket_doctype", "ticket"], as_list=True)
	}
	tickets, months = [], {}
	for row in _resolved_rows(since, until):
		if not flt(row.resolution_time) > 0:
			continue
		month = f"{row.opening_date:%Y-%m}"
		months[row.key] = month
		tickets.append(
			calc.Resolved(
				ticket=row.key,
				group=(row.key.split("/")[0], row.ticket_type, row.priority or "", month),
				hours=flt(row.resolution_time) / 3600,
				with_article=row.key in linked,
			)
		)
	return tickets, months


def closed_tickets(since, until) -> list[kcs_metrics.ClosedTicket]:
	"""The period's resolved tickets with their article links (and when each article first went live)."""
	first_live = _first_published()
	links = defaultdict(list)
	for doctype, name, link_type, article in frappe.get_all(
		"KM Article Link", fields=["ticket_doctype", "ticket", "link_type", "article"], as_list=True
	):
		links[f"{doctype}/{name}"].append((link_type, article, first_live.get(article)))
	return [
		kcs_metrics.ClosedTicket(
			row.key,
			get_datetime(f"{row.opening_date} {row.opening_time or '00:00:00'}"),
			tuple(links[row.key]),
		)
		for row in _resolved_rows(since, until)
	]


def first_published_articles(since, until) -> list[kcs_metrics.PublishedArticle]:
	"""Articles whose first version went live in the period, with where their clock started."""
	first_live = {a: on for a, on in _first_published().items() if since <= getdate(on) < getdate(until)}
	created = dict(
		frappe.get_all(
			"KM Article",
			filters={"name": ("in", list(first_live))},
			fields=["name", "creation"],
			as_list=True,
		)
	)
	closed = {}
	for article, doctype, name in frappe.get_all(
		"KM Article Link",
		filters={"link_type": C.LINK_CREATED_FROM, "article": ("in", list(first_live))},
		fields=["article", "ticket_doctype", "ticket"],
		as_list=True,
	):
		row = frappe.db.get_value(
			doctype, name, ["opening_date", "opening_time", "resolution_time"], as_dict=True
		)
		if row and flt(row.resolution_time) > 0:
			opened = get_datetime(f"{row.opening_date} {row.opening_time or '00:00:00'}")
			closed[article] = opened + timedelta(seconds=flt(row.resolution_time))
	return [
		kcs_metrics.PublishedArticle(a, get_datetime(created[a]), get_datetime(on), closed.get(a))
		for a, on in first_live.items()
		if a in created
	]


def contributors(since, until) -> set[str]:
	"""People who linked an article to a ticket or had an article published in the period."""
	linkers = frappe.get_all(
		"KM Article Link",
		filters=[["linked_on", ">=", since], ["linked_on", "<", until]],
		pluck="linked_by",
	)
	authors = frappe.get_all(
		"KM Article",
		filters={"name": ("in", [a.article for a in first_published_articles(since, until)] or [""])},
		pluck="article_owner",
	)
	return {u for u in (*linkers, *authors) if u}


def agents() -> set[str]:
	"""Enabled desk users holding one of the agent roles."""
	roles = [r for r in C.AGENT_ROLES if frappe.db.exists("Role", r)]
	users = frappe.get_all("Has Role", filters={"role": ("in", roles), "parenttype": "User"}, pluck="parent")
	return set(frappe.get_all("User", filters={"name": ("in", users or [""]), "enabled": 1}, pluck="name"))


def live_reuse_counts() -> list[int]:
	return frappe.get_all(
		"KM Article", filters={"status": ("in", C.LIVE_WORKING_COPY_STATUSES)}, pluck="reuse_count"
	)


def _first_published() -> dict[str, str]:
	"""{article: when its first version went live}."""
	version = frappe.qb.DocType("KM Article Version")
	return {
		article: on
		for article, on in frappe.qb.from_(version)
		.select(version.article, Min(version.published_on))
		.where(version.published_on.isnotnull())
		.groupby(version.article)
		.run()
	}


def solved_tickets_by_article() -> dict[str, set[str]]:
	by_article = defaultdict(set)
	for article, doctype, name in frappe.get_all(
		"KM Article Link",
		filters={"link_type": C.LINK_SOLVED},
		fields=["article", "ticket_doctype", "ticket"],
		as_list=True,
	):
		by_article[article].add(f"{doctype}/{name}")
	return by_article


def costs_by_month(since, until, company: str | None = None) -> dict[str, float]:
	filters = {"posting_date": ("between", (since, add_days(until, -1)))}
	if company:
		filters["company"] = company
	out = defaultdict(float)
	for row in frappe.get_all("KM Program Cost", filters=filters, fields=["posting_date", "amount"]):
		out[f"{row.posting_date:%Y-%m}"] += flt(row.amount)
	return dict(out)


def article_rows(filters) -> list[dict]:
	"""Per article: tickets solved with it and the time saved, deflections, and their value."""
	a = assumptions()
	since, until = period(filters)
	tickets, _months = resolved_tickets(since, until)
	by_key = {t.ticket: t for t in tickets}
	outcomes, _session_months, events = deflection.sessions_and_events(since, until)
	deflected = {f.article: f for f in deflection_rules.article_figures(outcomes, events)}
	solved = solved_tickets_by_article()
	articles = {name for name, keys in solved.items() if keys & by_key.keys()} | set(deflected)
	articles &= _articles_matching(filters)
	titles = dict(
		frappe.get_all(
			"KM Article", filters={"name": ("in", list(articles))}, fields=["name", "title"], as_list=True
		)
	)
	rows = []
	for article in articles:
		saved = calc.time_saved([by_key[k] for k in solved.get(article, ()) if k in by_key], tickets)
		d = deflected.get(article) or deflection_rules.ArticleFigures(article)
		deflection_value = calc.deflection_value(
			d.confirmed, d.potential, a.ticket_cost, a.self_service_cost, a.potential_weight
		)
		resolution_value = calc.resolution_value(saved, a.ticket_cost)
		rows.append(
			{
				"article": article,
				"title": titles.get(article, ""),
				"tickets_solved": len([k for k in solved.get(article, ()) if k in by_key]),
				"compared": saved.tickets,
				"comparable": saved.comparable,
				"hours_saved": saved.hours_per_ticket,
				"interval": _interval(saved),
				"confirmed": d.confirmed,
				"potential": d.potential,
				"deflection_value": deflection_value,
				"resolution_value": resolution_value,
				"total_value": calc.total([deflection_value, resolution_value])
				if a.ticket_cost is not None
				else None,
				"currency": a.currency,
			}
		)
	rows.sort(key=lambda r: (-(r["total_value"] or 0), -r["tickets_solved"], r["article"]))
	return rows


def programme_by_month(filters) -> list[dict]:
	"""Per month: savings from deflections and from faster resolutions, costs, and ROI."""
	a = assumptions()
	since, until = period(filters)
	tickets, ticket_months = resolved_tickets(since, until)
	solved = solved_tickets_by_article()
	outcomes, session_months, _events = deflection.sessions_and_events(since, until)
	costs = costs_by_month(since, until, filters.get("company"))
	months = sorted(set(ticket_months.values()) | set(session_months.values()) | set(costs))
	out = []
	for month in months:
		in_month = [t for t in tickets if ticket_months[t.ticket] == month]
		keys = {t.ticket for t in in_month}
		resolution = calc.total(
			calc.resolution_value(
				calc.time_saved([t for t in in_month if t.ticket in s], tickets), a.ticket_cost
			)
			for s in solved.values()
			if s & keys
		)
		month_outcomes = [o for s, o in outcomes.items() if session_months[s] == month]
		deflected = calc.deflection_value(
			month_outcomes.count(C.OUTCOME_DEFLECTED),
			month_outcomes.count(C.OUTCOME_POTENTIAL),
			a.ticket_cost,
			a.self_service_cost,
			a.potential_weight,
		)
		savings = calc.total([deflected, resolution]) if a.ticket_cost is not None else None
		out.append(
			{
				"month": month,
				"deflection_value": deflected,
				"resolution_value": resolution if a.ticket_cost is not None else None,
				"savings": savings,
				"costs": costs.get(month, 0.0),
				"roi": calc.roi(savings, costs.get(month, 0.0)),
				"currency": a.currency,
			}
		)
	return out


def _articles_matching(filters) -> set[str]:
	"""Articles of the category (and its subcategories) and language the filters name."""
	conditions = {}
	if filters.get("language"):
		conditions["language"] = filters["language"]
	if filters.get("category"):
		lft, rgt = frappe.db.get_value("KM Category", filters["category"], ["lft", "rgt"]) or (0, 0)
		conditions["category"] = (
			"in",
			frappe.get_all("KM Category", filters={"lft": (">=", lft), "rgt": ("<=", rgt)}, pluck="name")
			or [""],
		)
	return set(frappe.get_all("KM Article", filters=conditions, pluck="name"))


def _interval(saved: calc.TimeSaved) -> str:
	if saved.low is None:
		return ""
	return _("{0} to {1} h").format(flt(saved.low, 1), flt(saved.high, 1))

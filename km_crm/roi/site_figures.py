"""The figures of the Knowledge ROI report, read from the site and computed by calc.py: the one place
reports, cards and tests take them from.

Tickets: resolved or closed ERPNext Issues (and Helpdesk HD Tickets when installed) opened in the
period, with a resolution time; grouped for comparison by ticket type, priority and month. A ticket
"has an article" when any article is linked to it; an article's tickets are those it is linked to
as "Solved". Deflections: the self-service sessions started in the period (deflection_rules.py).
Costs: KM Program Cost entries dated in the period.

Filters (a Scope): a team narrows the tickets to those the team handled (integrations.teams) and the
people to its members; category and language narrow the articles. Figures of articles alone
(deflections, first publications, reuse, quality) count the team's articles: those its members own."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.query_builder.functions import Min, Sum
from frappe.utils import add_days, flt, get_datetime, getdate, today

from km_crm import constants as C
from km_crm.knowledge import deflection, deflection_rules, lifecycle
from km_crm.roi import calc, kcs_metrics
from km_crm.tickets import teams, ticket_types

HANDLING_MEASURED = "Measured from Timesheets"
HANDLING_WINDOW_DAYS = 90


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
	hours, measured_on = flt(s.handling_hours), 0
	if s.handling_time_source == HANDLING_MEASURED:
		measured, measured_on = measured_handling_hours()
		hours = measured if measured is not None else hours
	cost = calc.assisted_ticket_cost(s.assisted_ticket_cost, s.agent_hourly_cost, hours)
	if s.assisted_ticket_cost:
		basis = _("given in KM ROI Settings")
	elif cost is not None and measured_on:
		basis = _(
			"agent hourly cost {0} x {1} hours of handling, the mean logged in Timesheets on {2} Issues resolved in the last {3} days"
		).format(_money(s.agent_hourly_cost, currency), flt(hours, 2), measured_on, HANDLING_WINDOW_DAYS)
	elif cost is not None:
		basis = _("agent hourly cost {0} x {1} hours of handling").format(
			_money(s.agent_hourly_cost, currency), flt(hours, 2)
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


def measured_handling_hours() -> tuple[float | None, int]:
	"""(mean hours logged in Timesheets on the Tasks of Issues resolved in the last
	HANDLING_WINDOW_DAYS days, how many Issues had time logged); (None, 0) without any."""
	if not frappe.db.exists("DocType", "Timesheet Detail"):
		return None, 0
	detail, sheet = frappe.qb.DocType("Timesheet Detail"), frappe.qb.DocType("Timesheet")
	task, issue = frappe.qb.DocType("Task"), frappe.qb.DocType("Issue")
	per_issue = (
		frappe.qb.from_(detail)
		.join(sheet)
		.on(sheet.name == detail.parent)
		.join(task)
		.on(task.name == detail.task)
		.join(issue)
		.on(issue.name == task.issue)
		.select(issue.name, Sum(detail.hours))
		.where(sheet.docstatus < 2)
		.where(issue.status.isin(ticket_types.resolved_statuses(C.ISSUE)))
		.where(issue.opening_date >= add_days(today(), -HANDLING_WINDOW_DAYS))
		.groupby(issue.name)
		.run()
	)
	hours = [flt(h) for _name, h in per_issue if flt(h) > 0]
	return calc.mean(hours), len(hours)


def _money(value, currency) -> str:
	return frappe.format_value(value, {"fieldtype": "Currency"}, currency=currency)


def period(filters) -> tuple:
	since = getdate(filters.get("from_date") or add_days(today(), -90))
	until = add_days(getdate(filters.get("to_date") or today()), 1)
	return since, until


@dataclass(frozen=True)
class Scope:
	"""What a report's filters ask for: the period [since, until), a team and an article subset."""

	since: date
	until: date
	team: str | None = None
	members: frozenset | None = None  # the team's users; None: everybody
	articles: frozenset | None = None  # of the category and language asked; None: all

	def owned(self, articles) -> set[str]:
		"""Of `articles`, those in the scope: matching the article filters and owned by the team."""
		out = set(articles) if self.articles is None else set(articles) & self.articles
		if self.members is not None and out:
			owners = dict(
				frappe.get_all(
					"KM Article",
					filters={"name": ("in", list(out))},
					fields=["name", "article_owner"],
					as_list=True,
				)
			)
			out = {a for a in out if owners.get(a) in self.members}
		return out


def scope(filters) -> Scope:
	filters = frappe._dict(filters or {})
	since, until = period(filters)
	people = teams.members(filters.get("team"))
	narrowed = filters.get("category") or filters.get("language")
	return Scope(
		since,
		until,
		filters.get("team") or None,
		None if people is None else frozenset(people),
		frozenset(_articles_matching(filters)) if narrowed else None,
	)


def scope_note(s: Scope) -> str:
	"""What the filters mean, for the report's page (HTML); empty without filters."""
	lines = []
	if s.team:
		lines.append(
			_(
				"Team {0}: tickets assigned to its members (or of its Helpdesk team), its members as agents, and the articles they own for deflections, publications and reuse."
			).format(frappe.utils.escape_html(s.team))
		)
	if s.articles is not None:
		lines.append(
			_(
				"Category and language: only links to, deflections by and figures of {0} matching articles."
			).format(len(s.articles))
		)
	return "".join(f"<p>{line}</p>" for line in lines)


def _resolved_rows(s: Scope) -> list:
	"""Resolved or closed tickets opened in the period (the team's when one is asked for), both
	ticket doctypes, with their type."""
	rows = []
	for doctype in ticket_types.installed():
		type_field = ticket_types.TYPES[doctype].type_field
		found = frappe.get_all(
			doctype,
			filters={
				**ticket_types.resolved_filters(doctype),
				"opening_date": ("between", (s.since, add_days(s.until, -1))),
			},
			fields=["name", "opening_date", "opening_time", "priority", "resolution_time", type_field],
		)
		team = teams.team_tickets(s.team, doctype, [r.name for r in found]) if s.team else None
		for row in found:
			if team is None or row.name in team:
				row.key, row.ticket_type = (
					ticket_types.ticket_ref(doctype, row.name),
					row.get(type_field) or "",
				)
				rows.append(row)
	return rows


def resolved_tickets(s: Scope) -> tuple[list[calc.Resolved], dict[str, str]]:
	"""(tickets with a resolution time, {ticket key: month}) for the resolved tickets opened in the
	period. A ticket "has an article" when any article is linked to it, whatever the filters."""
	linked = {
		ticket_types.ticket_ref(d, n)
		for d, n in frappe.get_all("KM Article Link", fields=["ticket_doctype", "ticket"], as_list=True)
	}
	tickets, months = [], {}
	for row in _resolved_rows(s):
		if not flt(row.resolution_time) > 0:
			continue
		month = f"{row.opening_date:%Y-%m}"
		months[row.key] = month
		tickets.append(
			calc.Resolved(
				ticket=row.key,
				group=(ticket_types.parse_ticket_ref(row.key)[0], row.ticket_type, row.priority or "", month),
				hours=flt(row.resolution_time) / 3600,
				with_article=row.key in linked,
			)
		)
	return tickets, months


def closed_tickets(s: Scope) -> list[kcs_metrics.ClosedTicket]:
	"""The period's resolved tickets with their links to articles of the scope (and when each article
	first went live)."""
	first_live = _first_published()
	links = defaultdict(list)
	for doctype, name, link_type, article in frappe.get_all(
		"KM Article Link", fields=["ticket_doctype", "ticket", "link_type", "article"], as_list=True
	):
		if s.articles is None or article in s.articles:
			links[ticket_types.ticket_ref(doctype, name)].append(
				(link_type, article, first_live.get(article))
			)
	return [
		kcs_metrics.ClosedTicket(
			row.key,
			get_datetime(f"{row.opening_date} {row.opening_time or '00:00:00'}"),
			tuple(links[row.key]),
		)
		for row in _resolved_rows(s)
	]


def first_published_articles(s: Scope) -> list[kcs_metrics.PublishedArticle]:
	"""Articles of the scope whose first version went live in the period, with when their draft
	began and when they were first submitted for review."""
	in_period = {a: on for a, on in _first_published().items() if s.since <= getdate(on) < getdate(s.until)}
	first_live = {a: on for a, on in in_period.items() if a in s.owned(in_period)}
	created = dict(
		frappe.get_all(
			"KM Article",
			filters={"name": ("in", list(first_live))},
			fields=["name", "creation"],
			as_list=True,
		)
	)
	submitted = _first_submitted(list(first_live))
	return [
		kcs_metrics.PublishedArticle(
			a,
			get_datetime(created[a]),
			get_datetime(on),
			submitted.get(a) if submitted.get(a) and submitted[a] <= get_datetime(on) else None,
		)
		for a, on in first_live.items()
		if a in created
	]


def _first_submitted(articles: list[str]) -> dict:
	"""{article: when its first review round for publication opened} (the Submitted event)."""
	if not articles:
		return {}
	review = frappe.qb.DocType("KM Review")
	return {
		article: get_datetime(on)
		for article, on in frappe.qb.from_(review)
		.select(review.article, Min(review.opened_on))
		.where(review.article.isin(articles))
		.where(review.review_type == C.REVIEW_TYPE_PUBLISH)
		.groupby(review.article)
		.run()
		if on
	}


def contributors(s: Scope) -> set[str]:
	"""People who linked an article of the scope to a ticket, or had one published, in the period."""
	linkers = frappe.get_all(
		"KM Article Link",
		filters=[["linked_on", ">=", s.since], ["linked_on", "<", s.until]],
		fields=["linked_by", "article"],
	)
	authors = frappe.get_all(
		"KM Article",
		filters={"name": ("in", [a.article for a in first_published_articles(s)] or [""])},
		pluck="article_owner",
	)
	return {
		u
		for u in (*(r.linked_by for r in linkers if s.articles is None or r.article in s.articles), *authors)
		if u
	}


def agents(s: Scope | None = None) -> set[str]:
	"""Enabled desk users holding one of the agent roles (the team's, when one is asked for)."""
	found = teams.agents()
	return found if s is None or s.members is None else found & s.members


def live_reuse_counts(s: Scope) -> list[int]:
	"""Reuse counts of the live articles of the scope (those whose next version is being drafted too)."""
	live = dict(
		frappe.get_all(
			"KM Article",
			filters=lifecycle.live_article_filters(),
			fields=["name", "reuse_count"],
			as_list=True,
		)
	)
	return [live[a] or 0 for a in s.owned(live)]


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
		by_article[article].add(ticket_types.ticket_ref(doctype, name))
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
	a, s = assumptions(), scope(filters)
	tickets, _months = resolved_tickets(s)
	by_key = {t.ticket: t for t in tickets}
	outcomes, _session_months, events = deflection.sessions_and_events(s.since, s.until)
	figures = deflection_rules.article_figures(outcomes, events)
	deflecting = s.owned(f.article for f in figures)
	deflected = {f.article: f for f in figures if f.article in deflecting}
	solved = solved_tickets_by_article()
	articles = {name for name, keys in solved.items() if keys & by_key.keys()}
	if s.articles is not None:
		articles &= s.articles
	articles |= set(deflected)
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
	"""Per month: savings from deflections and from faster resolutions, costs, and ROI. With a team or
	article filter, the sessions counted are those that opened or confirmed an article of the scope."""
	a, s = assumptions(), scope(filters)
	tickets, ticket_months = resolved_tickets(s)
	solved = solved_tickets_by_article()
	if s.articles is not None:
		solved = {article: keys for article, keys in solved.items() if article in s.articles}
	outcomes, session_months = self_service_outcomes(s, with_months=True)
	costs = costs_by_month(s.since, s.until, filters.get("company"))
	months = sorted(set(ticket_months.values()) | {session_months[x] for x in outcomes} | set(costs))
	out = []
	for month in months:
		in_month = [t for t in tickets if ticket_months[t.ticket] == month]
		keys = {t.ticket for t in in_month}
		resolution = calc.total(
			calc.resolution_value(
				calc.time_saved([t for t in in_month if t.ticket in keys_of], tickets), a.ticket_cost
			)
			for keys_of in solved.values()
			if keys_of & keys
		)
		month_outcomes = [o for x, o in outcomes.items() if session_months[x] == month]
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


def self_service_outcomes(s: Scope, with_months: bool = False):
	"""{session: outcome} of the ticket-form sessions started in the period; with a team or article
	filter, only the sessions that opened or confirmed an article of the scope. With `with_months`,
	also {session: "YYYY-MM"}."""
	outcomes, months, events = deflection.sessions_and_events(s.since, s.until)
	if s.articles is not None or s.members is not None:
		in_scope = s.owned(article for _s, _e, article, _shown in events if article)
		sessions = {session for session, _e, article, _shown in events if article in in_scope}
		outcomes = {session: o for session, o in outcomes.items() if session in sessions}
	return (outcomes, months) if with_months else outcomes


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

"""Knowledge Gaps: what people looked for and the knowledge base did not answer, from two sources.

- Searches: what people searched for and did not find (no result, or no result opened). People, not
  programs: searches from the desk, the portal and tickets count; calls to the search API from other
  programs (channel "API") do not.
- Tickets: KM Knowledge Gap records, groups of resolved tickets that no article solved and no live
  article covers (gaps/ticket_gaps.py, weekly and on demand).

Each row counts the period and the period of the same length before it (the trend), by language."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, date_diff, getdate, today

from km_crm import scheduler
from km_crm.gaps import ticket_gaps
from km_crm.search import semantic
from km_crm.search.analysis import detect_language

SEARCH_LOG = "KM Search Log"
PEOPLE_CHANNELS = ("Desk", "Portal", "Ticket")
SOURCE_SEARCHES = "Searches"
SOURCE_TICKETS = "Tickets"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = []
	if filters.source in (None, "", SOURCE_SEARCHES):
		rows += search_rows(filters)
	if filters.source in (None, "", SOURCE_TICKETS):
		rows += ticket_rows(filters)
	if filters.language:
		rows = [r for r in rows if filters.language in (r["language"] or "").split(", ")]
	rows.sort(key=lambda r: (-r["count"], r["gap"]))
	message = None if rows else empty_message(searches_logged(filters))
	return columns(), rows, message, None, summary(rows)


def empty_message(searches: int) -> str:
	"""What feeds the report, when it shows nothing: `searches` is how many searches the period logged."""
	lines = []
	if searches:
		lines.append(
			_(
				"Every search of this period found something that was opened ({0} searches): no gap to show."
			).format(searches)
		)
	else:
		waiting = frappe.cache.llen(f"insert_queue_for_{SEARCH_LOG}")  # frappe.deferred_insert's queue
		lines += [
			_(
				"No search was logged in this period. This report lists what people searched for in the desk, the portal and on tickets and did not find: no result, or no result opened."
			),
			_(
				"Searches reach it through KM Search Log, which the scheduler writes in batches every 15 minutes."
			),
			_("{0} searches are waiting to be written.").format(waiting) if waiting else "",
		]
	lines.append(tickets_note())
	lines.append(scheduler.off_note())
	return scheduler.paragraphs(*lines)


def tickets_note() -> str:
	"""Where the ticket gaps come from, and why there are none when search by meaning is off."""
	if not semantic.enabled():
		return _(
			"Gaps from tickets need Search by Meaning (KM Search Settings): resolved tickets are grouped by what they mean."
		)
	min_tickets, window = ticket_gaps.settings()
	return _(
		"Gaps from tickets: each week, groups of at least {0} tickets resolved in the last {1} days with no linked article and no live article near them."
	).format(min_tickets, window)


def columns():
	return [
		{"fieldname": "gap", "label": _("Gap"), "fieldtype": "Data", "width": 320},
		{"fieldname": "source", "label": _("Source"), "fieldtype": "Data", "width": 90},
		{"fieldname": "language", "label": _("Language"), "fieldtype": "Data", "width": 90},
		{"fieldname": "count", "label": _("Count"), "fieldtype": "Int", "width": 80},
		{"fieldname": "searches", "label": _("Searches"), "fieldtype": "Int", "width": 90},
		{"fieldname": "previous", "label": _("Period Before"), "fieldtype": "Int", "width": 110},
		{"fieldname": "trend", "label": _("Trend"), "fieldtype": "Data", "width": 80},
		{"fieldname": "zero_results", "label": _("No Result"), "fieldtype": "Int", "width": 100},
		{"fieldname": "no_click", "label": _("Results Not Opened"), "fieldtype": "Int", "width": 150},
		{"fieldname": "channels", "label": _("Channels"), "fieldtype": "Data", "width": 140},
		{
			"fieldname": "knowledge_gap",
			"label": _("Knowledge Gap"),
			"fieldtype": "Link",
			"options": "KM Knowledge Gap",
			"width": 130,
		},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 80},
		{"fieldname": "coach", "label": _("Coach"), "fieldtype": "Link", "options": "User", "width": 160},
		{"fieldname": "last_seen", "label": _("Last Seen"), "fieldtype": "Datetime", "width": 170},
	]


def summary(rows) -> list[dict]:
	searches = [r for r in rows if r["source"] == _(SOURCE_SEARCHES)]
	tickets = [r for r in rows if r["source"] == _(SOURCE_TICKETS)]
	return [
		{
			"label": _("Searches Not Answered"),
			"value": sum(r["count"] for r in searches),
			"indicator": "orange",
		},
		{
			"label": _("Open Gaps from Tickets"),
			"value": sum(1 for r in tickets if r["status"] == _("Open")),
			"indicator": "red",
		},
		{
			"label": _("Tickets in Open Gaps"),
			"value": sum(r["count"] for r in tickets if r["status"] == _("Open")),
			"indicator": "blue",
		},
	]


def period(filters) -> tuple:
	"""(since, until, previous since): the period (until exclusive) and the one of equal length before."""
	since = getdate(filters.from_date or add_days(today(), -30))
	until = add_days(getdate(filters.to_date or today()), 1)
	return since, until, add_days(since, -date_diff(until, since))


def trend(count: int, previous: int) -> str:
	if not previous:
		return _("new") if count else ""
	change = count - previous
	return f"{change:+d}" if change else "="


def _window(filters, since=None, until=None):
	log = frappe.qb.DocType(SEARCH_LOG)
	default_since, default_until, _before = period(filters)
	since, until = since or default_since, until or default_until
	return log, (log.searched_on >= since) & (log.searched_on < until) & (log.channel.isin(PEOPLE_CHANNELS))


def searches_logged(filters) -> int:
	"""How many searches by people the period logged."""
	log, window = _window(filters)
	return frappe.qb.from_(log).select(Count("*")).where(window & (log.event == "Search")).run()[0][0]


def _failed_searches(filters, since, until) -> dict[str, dict]:
	"""{query key: figures} of the searches in [since, until) that found nothing or nothing opened."""
	log, window = _window(filters, since, until)
	clicked = {
		r.search_id
		for r in frappe.qb.from_(log)
		.select(log.search_id)
		.where(window & (log.event == "Click"))
		.distinct()
		.run(as_dict=True)
	}
	searches = (
		frappe.qb.from_(log)
		.select(
			log.query_key,
			log.query,
			log.search_id,
			log.result_count,
			log.channel,
			log.searched_on,
			log.language,
		)
		.where(window & (log.event == "Search"))
		.orderby(log.searched_on)
		.run(as_dict=True)
	)
	groups: dict[str, dict] = {}
	for row in searches:
		group = groups.setdefault(
			row.query_key,
			{
				"gap": row.query,
				"searches": 0,
				"zero_results": 0,
				"no_click": 0,
				"channels": set(),
				"languages": set(),
			},
		)
		group["searches"] += 1
		group["channels"].add(_(row.channel))
		group["languages"].add(row.language or detect_language(row.query))  # the filter, else the words
		group["last_seen"] = row.searched_on
		group["gap"] = row.query
		if not row.result_count:
			group["zero_results"] += 1
		elif row.search_id not in clicked:
			group["no_click"] += 1
	return {k: g for k, g in groups.items() if g["zero_results"] or g["no_click"]}


def search_rows(filters) -> list[dict]:
	since, until, before = period(filters)
	now = _failed_searches(filters, since, until)
	earlier = _failed_searches(filters, before, since)
	rows = []
	for key, g in now.items():
		previous = earlier.get(key, {}).get("zero_results", 0) + earlier.get(key, {}).get("no_click", 0)
		failed = g["zero_results"] + g["no_click"]
		rows.append(
			{
				**g,
				"count": failed,
				"previous": previous,
				"trend": trend(failed, previous),
				"source": _(SOURCE_SEARCHES),
				"language": ", ".join(sorted(x for x in g.pop("languages") if x)),
				"channels": ", ".join(sorted(g["channels"])),
			}
		)
	return rows


def ticket_rows(filters) -> list[dict]:
	"""The KM Knowledge Gaps with a ticket resolved in the period or the one before."""
	since, until, before = period(filters)
	gap = frappe.qb.DocType(ticket_gaps.GAP)
	ticket = frappe.qb.DocType("KM Knowledge Gap Ticket")
	found = (
		frappe.qb.from_(gap)
		.join(ticket)
		.on((ticket.parent == gap.name) & (ticket.parenttype == ticket_gaps.GAP))
		.select(gap.name, gap.title, gap.status, gap.language, gap.coach, gap.last_seen, ticket.resolved_on)
		.where((ticket.resolved_on >= before) & (ticket.resolved_on < until))
		.run(as_dict=True)
	)
	rows: dict[str, dict] = {}
	for r in found:
		row = rows.setdefault(
			r.name,
			{
				"gap": r.title,
				"source": _(SOURCE_TICKETS),
				"language": r.language,
				"count": 0,
				"previous": 0,
				"knowledge_gap": r.name,
				"status": _(r.status),
				"coach": r.coach,
				"last_seen": r.last_seen,
			},
		)
		when = getdate(r.resolved_on) if r.resolved_on else None
		if when and since <= when < until:
			row["count"] += 1
		elif when and before <= when < since:
			row["previous"] += 1
	for row in rows.values():
		row["trend"] = trend(row["count"], row["previous"])
	return list(rows.values())

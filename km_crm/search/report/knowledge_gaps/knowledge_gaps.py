"""Knowledge Gaps: what people searched for and did not find (no result, or no result opened).

People, not programs: searches from the desk, the portal and tickets count; calls to the search API
from other programs (channel "API") do not."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, getdate, today

from km_crm import scheduler

SEARCH_LOG = "KM Search Log"
PEOPLE_CHANNELS = ("Desk", "Portal", "Ticket")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = data(filters)
	message = None if rows else empty_message(searches_logged(filters))
	return columns(), rows, message


def empty_message(searches: int) -> str:
	"""What feeds the report, when it shows nothing: `searches` is how many searches the period logged."""
	if searches:
		return scheduler.paragraphs(
			_(
				"Every search of this period found something that was opened ({0} searches): no gap to show."
			).format(searches)
		)
	waiting = frappe.cache.llen(f"insert_queue_for_{SEARCH_LOG}")  # frappe.deferred_insert's queue
	return scheduler.paragraphs(
		_(
			"No search was logged in this period. This report lists what people searched for in the desk, the portal and on tickets and did not find: no result, or no result opened."
		),
		_("Searches reach it through KM Search Log, which the scheduler writes in batches every 15 minutes."),
		_("{0} searches are waiting to be written.").format(waiting) if waiting else "",
		scheduler.off_note(),
	)


def columns():
	return [
		{"fieldname": "query", "label": _("Query"), "fieldtype": "Data", "width": 320},
		{"fieldname": "searches", "label": _("Searches"), "fieldtype": "Int", "width": 100},
		{"fieldname": "zero_results", "label": _("No Result"), "fieldtype": "Int", "width": 100},
		{"fieldname": "no_click", "label": _("Results Not Opened"), "fieldtype": "Int", "width": 150},
		{"fieldname": "channels", "label": _("Channels"), "fieldtype": "Data", "width": 160},
		{"fieldname": "last_searched", "label": _("Last Searched"), "fieldtype": "Datetime", "width": 170},
	]


def _window(filters):
	log = frappe.qb.DocType("KM Search Log")
	since = getdate(filters.from_date or add_days(today(), -30))
	until = add_days(getdate(filters.to_date or today()), 1)
	return log, (log.searched_on >= since) & (log.searched_on < until) & (log.channel.isin(PEOPLE_CHANNELS))


def searches_logged(filters) -> int:
	"""How many searches by people the period logged."""
	log, window = _window(filters)
	return frappe.qb.from_(log).select(Count("*")).where(window & (log.event == "Search")).run()[0][0]


def data(filters) -> list[dict]:
	log, window = _window(filters)

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
		.select(log.query_key, log.query, log.search_id, log.result_count, log.channel, log.searched_on)
		.where(window & (log.event == "Search"))
		.orderby(log.searched_on)
		.run(as_dict=True)
	)
	groups: dict[str, dict] = {}
	for row in searches:
		group = groups.setdefault(
			row.query_key,
			{
				"query": row.query,
				"searches": 0,
				"zero_results": 0,
				"no_click": 0,
				"channels": set(),
				"last_searched": None,
			},
		)
		group["searches"] += 1
		group["channels"].add(_(row.channel))
		group["last_searched"] = row.searched_on
		group["query"] = row.query
		if not row.result_count:
			group["zero_results"] += 1
		elif row.search_id not in clicked:
			group["no_click"] += 1

	rows = [
		{**g, "channels": ", ".join(sorted(g["channels"]))}
		for g in groups.values()
		if g["zero_results"] or g["no_click"]
	]
	rows.sort(key=lambda g: (-(g["zero_results"] + g["no_click"]), -g["searches"], g["query"]))
	return rows

"""Content Quality: the score trend of the KCS content standard checks, per contributor and month
(completed KM Quality Checks; the score is the share of criteria met, km_crm.roi.quality)."""

import frappe
from frappe import _

from km_crm.roi import figures, quality


def execute(filters=None):
	filters = frappe._dict(filters or {})
	since, until = figures.period(filters)
	conditions = [["status", "=", "Done"], ["checked_on", ">=", since], ["checked_on", "<", until]]
	if filters.contributor:
		conditions.append(["contributor", "=", filters.contributor])
	checks = frappe.get_all(
		"KM Quality Check", filters=conditions, fields=["contributor", "checked_on", "score"]
	)
	by_contributor = quality.trend((c.contributor, f"{c.checked_on:%Y-%m}", c.score or 0) for c in checks)
	rows = [
		{"contributor": contributor, "month": month, "checks": count, "score": average}
		for contributor, months in sorted(by_contributor.items())
		for month, average, count in months
	]
	overall = quality.trend(("", f"{c.checked_on:%Y-%m}", c.score or 0) for c in checks).get("", [])
	chart = (
		{
			"data": {
				"labels": [m for m, _a, _n in overall],
				"datasets": [{"name": _("Average Score"), "values": [a for _m, a, _n in overall]}],
			},
			"type": "bar",
		}
		if overall
		else None
	)
	return _columns(), rows, None, chart


def _columns():
	return [
		{
			"fieldname": "contributor",
			"label": _("Contributor"),
			"fieldtype": "Link",
			"options": "User",
			"width": 240,
		},
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 110},
		{"fieldname": "checks", "label": _("Checks"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "score",
			"label": _("Average Score"),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 140,
		},
	]

"""Content Quality: the score trend of the KCS content standard checks, per contributor or team and
month (completed KM Quality Checks; the score is the share of criteria met, km_crm.roi.quality).
A contributor in several teams counts in each; one in none under "No team"."""

import frappe
from frappe import _

from km_crm.roi import feeds, quality, site_figures
from km_crm.tickets import teams


def execute(filters=None):
	filters = frappe._dict(filters or {})
	scope = site_figures.scope(filters)
	conditions = [
		["status", "=", "Done"],
		["checked_on", ">=", scope.since],
		["checked_on", "<", scope.until],
	]
	if filters.contributor:
		conditions.append(["contributor", "=", filters.contributor])
	if scope.members is not None:
		conditions.append(["contributor", "in", list(scope.members) or [""]])
	checks = frappe.get_all(
		"KM Quality Check", filters=conditions, fields=["contributor", "checked_on", "score"]
	)
	by_team = filters.group_by == "Team"
	if by_team:
		team_of = _teams_by_member(filters.team)
		keyed = [
			(team, f"{c.checked_on:%Y-%m}", c.score or 0)
			for c in checks
			for team in team_of.get(c.contributor) or [_("No team")]
		]
	else:
		keyed = [(c.contributor, f"{c.checked_on:%Y-%m}", c.score or 0) for c in checks]
	rows = [
		{"who": who, "month": month, "checks": count, "score": average}
		for who, months in sorted(quality.trend(keyed).items())
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
	message = None if rows else feeds.quality_checks()
	return _columns(by_team), rows, message, chart


def _teams_by_member(only: str | None) -> dict[str, list[str]]:
	out: dict[str, list[str]] = {}
	for team, people in sorted(teams.teams().items()):
		if only and team != only:
			continue
		for user in people:
			out.setdefault(user, []).append(team)
	return out


def _columns(by_team: bool):
	who = (
		{"fieldname": "who", "label": _("Team"), "fieldtype": "Data", "width": 240}
		if by_team
		else {
			"fieldname": "who",
			"label": _("Contributor"),
			"fieldtype": "Link",
			"options": "User",
			"width": 240,
		}
	)
	return [
		who,
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

"""Support teams and who handled a ticket, as the site records them.

A team is a Helpdesk HD Team (its members) when Helpdesk is installed, or an ERPNext Department (the
users of its active Employees). Who handled a ticket: the users it was assigned to (Frappe's ToDo,
which Issue and HD Ticket assignment both use; a closed assignment still counts, a cancelled one
does not). A ticket belongs to a team when a member handled it, or, for an HD Ticket, when the team
is its agent group.
"""

from collections import defaultdict

import frappe

from km_crm import constants as C
from km_crm.tickets import ticket_types

HANDLED_TODO_STATUSES = ("Open", "Closed")


def teams() -> dict[str, set[str]]:
	"""{team name: member users}, Helpdesk teams first; a name used by both joins their members."""
	out: dict[str, set[str]] = defaultdict(set)
	if frappe.db.exists("DocType", "HD Team"):
		for team, user in frappe.get_all(
			"HD Team Member",
			filters={"parenttype": "HD Team"},
			fields=["parent", "user"],
			as_list=True,
		):
			if user:
				out[team].add(user)
	if frappe.db.exists("DocType", "Employee"):
		for department, user in frappe.get_all(
			"Employee",
			filters={"status": "Active", "user_id": ("is", "set"), "department": ("is", "set")},
			fields=["department", "user_id"],
			as_list=True,
		):
			out[department].add(user)
	return dict(out)


def agents() -> set[str]:
	"""Enabled desk users holding one of the agent roles: who handles tickets."""
	roles = [r for r in C.AGENT_ROLES if frappe.db.exists("Role", r)]
	users = frappe.get_all("Has Role", filters={"role": ("in", roles), "parenttype": "User"}, pluck="parent")
	return set(frappe.get_all("User", filters={"name": ("in", users or [""]), "enabled": 1}, pluck="name"))


def open_tickets(users) -> dict[str, int]:
	"""{user: tickets of either doctype assigned to them and still open (an open ToDo)}."""
	counts: dict[str, int] = {}
	for user, count in frappe.get_all(
		"ToDo",
		filters={
			"status": "Open",
			"allocated_to": ("in", list(users) or [""]),
			"reference_type": ("in", ticket_types.installed()),
		},
		fields=["allocated_to", "count(name) as n"],
		group_by="allocated_to",
		as_list=True,
	):
		counts[user] = count
	return counts


def team_names() -> list[str]:
	return sorted(teams())


def members(team: str | None) -> set[str] | None:
	"""The team's users; None when no team is asked for (everybody)."""
	if not team:
		return None
	return teams().get(team, set())


def handlers(doctype: str, names: list[str] | None = None) -> dict[str, set[str]]:
	"""{ticket name: users it was assigned to} for tickets of `doctype` (all, or those named)."""
	filters = {"reference_type": doctype, "status": ("in", HANDLED_TODO_STATUSES)}
	if names is not None:
		if not names:
			return {}
		filters["reference_name"] = ("in", names)
	out: dict[str, set[str]] = defaultdict(set)
	for name, user in frappe.get_all(
		"ToDo", filters=filters, fields=["reference_name", "allocated_to"], as_list=True
	):
		if user:
			out[name].add(user)
	return dict(out)


def team_tickets(team: str | None, doctype: str, names: list[str]) -> set[str] | None:
	"""Which of the named tickets belong to the team; None when no team is asked for."""
	people = members(team)
	if people is None:
		return None
	by_ticket = handlers(doctype, names)
	keep = {name for name in names if by_ticket.get(name, set()) & people}
	team_field = ticket_types.TYPES[doctype].team_field
	if team_field and names:
		keep |= set(frappe.get_all(doctype, filters={"name": ("in", names), team_field: team}, pluck="name"))
	return keep

"""What the knowledge reports' filters offer."""

import frappe

from km_crm.tickets import teams


@frappe.whitelist()
def team_names() -> list[str]:
	"""Helpdesk teams and ERPNext departments with members, for the reports' Team filter."""
	return teams.team_names()

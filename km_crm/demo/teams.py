"""Demo support teams, loaded by `km_crm.demo.tickets`: two more agents, an access desk and a
billing desk (Helpdesk teams when Helpdesk is installed, else ERPNext departments with an Employee
per agent), and who handled each ticket of the demo history: mostly the desk's specialist, sometimes
the generalist (a closed ToDo, as when an agent finishes an assigned ticket). Seeded, so every site
gets the same; running it again adds nothing twice."""

import random

import frappe

from km_crm import constants as C
from km_crm.demo.users import ensure_user
from km_crm.tickets import teams

GENERALIST = "km.agent@example.com"
#: email, full name, the history's ticket type they specialise in
SPECIALISTS = (
	("km.access@example.com", "Alex Access", "Access"),
	("km.billing@example.com", "Bea Billing", "Billing"),
)
TEAMS = {
	"Access Desk": (GENERALIST, "km.access@example.com"),
	"Billing Desk": ("km.billing@example.com",),
}
SPECIALIST_SHARE = 0.75


def load(password: str, company: str | None) -> None:
	for email, full_name, _type in SPECIALISTS:
		ensure_user(email, full_name, ["Support Team", "KM Candidate"], password)
		if frappe.db.exists("DocType", "HD Agent") and not frappe.db.exists("HD Agent", email):
			frappe.get_doc(
				{"doctype": "HD Agent", "user": email, "agent_name": full_name, "is_active": 1}
			).insert(ignore_permissions=True)
	for team, people in TEAMS.items():
		if frappe.db.exists("DocType", "HD Team"):
			_hd_team(team, people)
		elif company:
			_department(team, people, company)
	_assign_history()


def _hd_team(team: str, people) -> None:
	if not frappe.db.exists("HD Team", team):
		frappe.get_doc(
			{"doctype": "HD Team", "team_name": team, "users": [{"user": u} for u in people]}
		).insert(ignore_permissions=True)


def _department(team: str, people, company: str) -> None:
	department = frappe.db.get_value("Department", {"department_name": team, "company": company})
	if not department:
		department = (
			frappe.get_doc({"doctype": "Department", "department_name": team, "company": company})
			.insert(ignore_permissions=True)
			.name
		)
	for user in people:
		if frappe.db.exists("Employee", {"user_id": user}):
			continue
		first, _sp, last = (frappe.db.get_value("User", user, "full_name") or user).partition(" ")
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": first,
				"last_name": last,
				"gender": "Female" if frappe.db.exists("Gender", "Female") else None,
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2024-01-01",
				"company": company,
				"department": department,
				"user_id": user,
				"status": "Active",
			}
		).insert(ignore_permissions=True)


def _assign_history() -> None:
	"""Who handled each closed demo Issue of the history that nobody handled yet."""
	rng = random.Random(11)
	specialist = {ticket_type: email for email, _n, ticket_type in SPECIALISTS}
	history = frappe.get_all(
		C.ISSUE,
		filters={"issue_type": ("in", list(specialist)), "status": "Closed"},
		fields=["name", "issue_type", "opening_date"],
		order_by="name",
	)
	handled = teams.handlers(C.ISSUE, [t.name for t in history])
	for ticket in history:
		if ticket.name in handled:
			continue
		user = specialist[ticket.issue_type] if rng.random() < SPECIALIST_SHARE else GENERALIST
		todo = frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"reference_type": C.ISSUE,
				"reference_name": ticket.name,
				"description": f"{ticket.issue_type}: {ticket.name}",
				"date": ticket.opening_date,
				"status": "Closed",
			}
		)
		todo.flags.ignore_permissions = True
		todo.insert()

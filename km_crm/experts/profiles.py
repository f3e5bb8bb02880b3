"""KM Expert Profiles as routing reads them: availability, capacity and languages per person, and a
profile for every agent (the nightly job)."""

import frappe
from frappe.utils import getdate, today

from km_crm.experts import evidence, expertise
from km_crm.tickets import teams


def people(users, load: dict[str, int]) -> dict[str, expertise.Person]:
	"""What routing knows of each user now; an Away past its date is Available again."""
	profiles = {
		p.user: p
		for p in frappe.get_all(
			"KM Expert Profile",
			filters={"user": ("in", list(users) or [""])},
			fields=["name", "user", "availability", "away_until", "capacity"],
		)
	}
	languages: dict[str, list[str]] = {}
	for row in frappe.get_all(
		"KM Expert Language",
		filters={
			"parenttype": "KM Expert Profile",
			"parent": ("in", [p.name for p in profiles.values()] or [""]),
		},
		fields=["parent", "language"],
	):
		languages.setdefault(row.parent, []).append(row.language)
	out = {}
	for user in users:
		p = profiles.get(user)
		availability = (p and p.availability) or expertise.AVAILABLE
		if availability == expertise.AWAY and p.away_until and getdate(p.away_until) < getdate(today()):
			availability = expertise.AVAILABLE
		out[user] = expertise.Person(
			availability=availability,
			open_tickets=load.get(user, 0),
			capacity=int((p and p.capacity) or 0),
			languages=tuple(languages.get(p.name, ())) if p else (),
		)
	return out


def ensure(user: str) -> str:
	"""The user's profile, created (owned by them) when missing."""
	name = frappe.db.get_value("KM Expert Profile", {"user": user})
	if not name:
		name = (
			frappe.get_doc({"doctype": "KM Expert Profile", "user": user})
			.insert(ignore_permissions=True)
			.name
		)
	return name


def nightly() -> None:
	"""Every agent has a profile; the expert index is read again from all the evidence."""
	for user in teams.agents():
		ensure(user)
	evidence.rebuild()

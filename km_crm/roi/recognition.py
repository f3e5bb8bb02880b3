"""Recognition that rewards what KCS rewards, read from the site: citation (how often others reuse a
person's articles) and link accuracy (the coaches' verdicts on sampled ticket links), for KCS Metrics
and for Frappe's leaderboard (User: energy points, and citations)."""

import frappe
from frappe.desk.leaderboard import get_energy_point_leaderboard
from frappe.utils import add_days, get_fullname, getdate

from km_crm.knowledge.reuse_rules import REUSE_TYPES
from km_crm.roi import kcs_metrics
from km_crm.roi.site_figures import Scope

CITATIONS = "citations"


def citations(s: Scope) -> dict[str, int]:
	"""{person: ticket links by others on the articles they own} in the scope's period (the team's
	members, and the articles of the category and language asked for)."""
	filters = [
		["linked_on", ">=", s.since],
		["linked_on", "<", s.until],
		["link_type", "in", REUSE_TYPES],
		["article_owner", "is", "set"],
	]
	if s.members is not None:
		filters.append(["article_owner", "in", list(s.members) or [""]])
	if s.articles is not None:
		filters.append(["article", "in", list(s.articles) or [""]])
	links = frappe.get_all(
		"KM Article Link",
		filters=filters,
		fields=["link_type", "linked_by", "article_owner"],
		ignore_permissions=True,
	)
	return kcs_metrics.citation((r.link_type, r.linked_by, r.article_owner) for r in links)


def link_verdicts(s: Scope) -> list[str]:
	"""The verdicts of the link checks coaches completed in the period (on the team's agents' links,
	and on articles of the category and language asked for)."""
	filters = [["status", "=", "Done"], ["checked_on", ">=", s.since], ["checked_on", "<", s.until]]
	if s.members is not None:
		filters.append(["agent", "in", list(s.members) or [""]])
	if s.articles is not None:
		filters.append(["article", "in", list(s.articles) or [""]])
	return frappe.get_all("KM Link Check", filters=filters, pluck="verdict", ignore_permissions=True)


def most_cited(counts: dict[str, int], top: int = 3) -> str:
	"""'Ana Lee 5, Bo Chen 3' for the report."""
	return ", ".join(f"{get_fullname(user)} {n}" for user, n in list(counts.items())[:top])


# -- Frappe's leaderboard ----------------------------------------------------------------------------


def get_leaderboards() -> dict:
	"""The leaderboard's User board (Frappe's energy points) with the citations beside them."""
	return {
		"User": {
			"fields": ["points", {"fieldname": CITATIONS, "fieldtype": "Int"}],
			"method": "km_crm.roi.recognition.get_user_leaderboard",
			"company_disabled": 1,
			"icon": "users",
		}
	}


@frappe.whitelist()
def get_user_leaderboard(date_range=None, company=None, field=None, limit=None):
	"""Energy points as Frappe counts them; citations: per person, links by others on their articles
	in the date range (counts only: no article is named)."""
	if field != CITATIONS:
		return get_energy_point_leaderboard(date_range, company, field, limit)
	since, until = getdate("2000-01-01"), add_days(getdate(), 1)
	if date_range:
		first, last = frappe.parse_json(date_range)
		since, until = getdate(first), add_days(getdate(last), 1)
	counts = citations(Scope(since=since, until=until))
	users = frappe.get_list(
		"User",
		filters={
			"name": ["not in", ["Administrator", "Guest"]],
			"enabled": 1,
			"user_type": ["!=", "Website User"],
		},
		pluck="name",
	)
	rows = sorted(
		({"name": u, "value": counts.get(u, 0)} for u in users),
		key=lambda r: (-r["value"], r["name"]),
	)
	for row in rows:
		user = row["name"]
		row["name"] = get_fullname(user)
		row["formatted_name"] = (
			f'<a href="/app/user-profile/{frappe.utils.escape_html(user)}">{frappe.utils.escape_html(get_fullname(user))}</a>'
		)
	return rows[: int(limit)] if limit else rows

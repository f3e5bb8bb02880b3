"""Monthly content standard sampling: for each contributor, a few of the versions published last
month get a KM Quality Check, handed to the KM Coaches in turn (a ToDo each)."""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import add_months, get_first_day, getdate, today

from km_crm import constants as C
from km_crm.roi import quality

CHECK = "KM Quality Check"


def sample_last_month() -> list[str]:
	return sample_month(get_first_day(add_months(today(), -1)))


def sample_month(first_day) -> list[str]:
	"""Create the checks for the month starting `first_day` (again: nothing twice); their names."""
	first_day = getdate(first_day)
	month = f"{first_day:%Y-%m}"
	versions = frappe.get_all(
		"KM Article Version",
		filters=[
			["published_on", ">=", first_day],
			["published_on", "<", get_first_day(add_months(first_day, 1))],
			["author", "is", "set"],
		],
		fields=["name", "article", "author"],
	)
	by_author: dict[str, list[str]] = {}
	article_of = {}
	for v in versions:
		by_author.setdefault(v.author, []).append(v.name)
		article_of[v.name] = v.article
	checked = frappe.get_all(
		CHECK, filters={"article_version": ("in", list(article_of) or [""])}, pluck="article_version"
	)
	per_contributor = frappe.get_cached_doc("KM ROI Settings").quality_sample_size or quality.DEFAULT_SAMPLE
	coaches = _coaches()
	created = []
	for contributor, chosen in quality.choose_sample(by_author, per_contributor, month, checked).items():
		for version in chosen:
			coach = quality.coach_for(len(created), [c for c in coaches if c != contributor] or coaches)
			doc = frappe.get_doc(
				{
					"doctype": CHECK,
					"article": article_of[version],
					"article_version": version,
					"contributor": contributor,
					"coach": coach,
					"sample_month": month,
					"status": "To Do",
				}
			).insert(ignore_permissions=True)
			if coach:
				assign_to.add(
					{
						"assign_to": [coach],
						"doctype": CHECK,
						"name": doc.name,
						"description": _("Check {0} against the content standard.").format(version),
					},
					ignore_permissions=True,
				)
			created.append(doc.name)
	return created


def _coaches() -> list[str]:
	users = frappe.get_all("Has Role", filters={"role": C.ROLE_COACH, "parenttype": "User"}, pluck="parent")
	return sorted(frappe.get_all("User", filters={"name": ("in", users or [""]), "enabled": 1}, pluck="name"))

"""Monthly link accuracy sampling: for each agent, a few of the ticket links (solved or referenced)
they made last month get a KM Link Check, handed in turn to the KM Coaches who may read the article
(a ToDo each). The coach marks the link right or wrong; KCS Metrics shows the share found right."""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import add_months, get_first_day, getdate, today

from km_crm.knowledge.reuse_rules import REUSE_TYPES
from km_crm.permissions import readers
from km_crm.roi import link_accuracy, quality_sampling

CHECK = "KM Link Check"
LINK = "KM Article Link"


def sample_last_month() -> list[str]:
	return sample_month(get_first_day(add_months(today(), -1)))


def sample_month(first_day) -> list[str]:
	"""Create the checks for the month starting `first_day` (again: nothing twice); their names."""
	first_day = getdate(first_day)
	month = f"{first_day:%Y-%m}"
	links = frappe.get_all(
		LINK,
		filters=[
			["linked_on", ">=", first_day],
			["linked_on", "<", get_first_day(add_months(first_day, 1))],
			["link_type", "in", REUSE_TYPES],
			["linked_by", "is", "set"],
		],
		fields=[
			"name",
			"article",
			"article_version",
			"link_type",
			"ticket_doctype",
			"ticket",
			"linked_by",
			"linked_on",
		],
	)
	by_agent: dict[str, list[str]] = {}
	row_of = {}
	for link in links:
		by_agent.setdefault(link.linked_by, []).append(link.name)
		row_of[link.name] = link
	checked = frappe.get_all(
		CHECK, filters={"article_link": ("in", list(row_of) or [""])}, pluck="article_link"
	)
	per_agent = frappe.get_cached_doc("KM ROI Settings").link_sample_size or link_accuracy.DEFAULT_SAMPLE
	coaches = quality_sampling._coaches()
	created = []
	for agent, chosen in link_accuracy.choose_links(by_agent, per_agent, month, checked).items():
		for name in chosen:
			link = row_of[name]
			coach = link_accuracy.coach_for(len(created), agent, link.article, coaches, _may_read)
			if coaches and not coach:
				continue  # no coach may read this article: it is not handed to anyone
			doc = frappe.get_doc(
				{
					"doctype": CHECK,
					"article": link.article,
					"article_version": link.article_version,
					"link_type": link.link_type,
					"ticket_doctype": link.ticket_doctype,
					"ticket": link.ticket,
					"article_link": link.name,
					"agent": agent,
					"linked_on": link.linked_on,
					"sample_month": month,
					"status": "To Do",
					"coach": coach,
				}
			).insert(ignore_permissions=True)
			if coach:
				assign_to.add(
					{
						"assign_to": [coach],
						"doctype": CHECK,
						"name": doc.name,
						"description": _("Is the article linked to {0} {1} the right one?").format(
							_(link.ticket_doctype), link.ticket
						),
					},
					ignore_permissions=True,
				)
			created.append(doc.name)
	return created


def _may_read(coach: str, article: str) -> bool:
	"""A coach is handed only links to articles they may read (km_crm.permissions)."""
	return bool(readers.article_views([article], user=coach))

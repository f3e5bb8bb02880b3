"""Recognition rewards reuse by others: the rule that gave an article's author points for each
published version is switched off (kept, with its history); the reuse and helpful-vote rules as
shipped before no longer reward one's own links and votes (their points stay as they are); the new
rules are added after the migrate (km_crm.roi.point_rules). Each article's first reuse by another
agent before the change is marked, so it does not earn the points for publishing a second time, and
confirmed deflections name the owner of the article that solved the problem. Rules an administrator
made are left as they are."""

import frappe

from km_crm import constants as C
from km_crm.roi import point_rules

REUSE_TYPES = (C.LINK_SOLVED, C.LINK_REFERENCED)

#: the conditions the rules shipped with before
SHIPPED_BEFORE = {
	C.RULE_REUSED: 'doc.link_type in ("Solved", "Referenced")',
	C.RULE_HELPFUL: "doc.helpful == 1",
}


def execute():
	if frappe.db.exists("Energy Point Rule", C.RULE_PUBLISHED_RETIRED):
		frappe.db.set_value("Energy Point Rule", C.RULE_PUBLISHED_RETIRED, "enabled", 0)
	for name, before in SHIPPED_BEFORE.items():
		if frappe.db.get_value("Energy Point Rule", name, "condition") == before:
			frappe.db.set_value(
				"Energy Point Rule", name, "condition", point_rules.default(name)["condition"]
			)
	for doctype in ("KM Article Version", "KM Article Link", "KM Article Feedback"):
		frappe.cache_manager.clear_doctype_map("Energy Point Rule", doctype)
	mark_first_reuses()
	name_deflection_owners()


def mark_first_reuses() -> None:
	marked = set(frappe.get_all("KM Article Link", filters={"first_reuse": 1}, pluck="article"))
	links = frappe.get_all(
		"KM Article Link",
		filters={"link_type": ("in", REUSE_TYPES), "article_version": ("is", "set")},
		fields=["name", "article", "linked_by", "article_owner"],
		order_by="linked_on asc, creation asc",
	)
	for link in links:
		if link.article in marked or not link.linked_by or link.linked_by == link.article_owner:
			continue
		frappe.db.set_value("KM Article Link", link.name, "first_reuse", 1, update_modified=False)
		marked.add(link.article)


def name_deflection_owners() -> None:
	solved = frappe.get_all(
		"KM Deflection Session",
		filters={"solved_article": ("is", "set"), "article_owner": ("is", "not set")},
		fields=["name", "solved_article"],
	)
	owners = dict(
		frappe.get_all(
			"KM Article",
			filters={"name": ("in", list({s.solved_article for s in solved}) or [""])},
			fields=["name", "article_owner"],
			as_list=True,
		)
	)
	for session in solved:
		if owners.get(session.solved_article):
			frappe.db.set_value(
				"KM Deflection Session",
				session.name,
				"article_owner",
				owners[session.solved_article],
				update_modified=False,
			)

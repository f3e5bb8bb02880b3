"""An article a committee approved named whoever cast the deciding vote as its publisher: it now
names the committee's decision (KM Article.published_review), read from its last Published event.
Versions a committee published name their review, not the last voter."""

import frappe


def execute():
	for article in frappe.get_all(
		"KM Article", filters={"published_version": ("is", "set")}, fields=["name", "published_review"]
	):
		if article.published_review:
			continue
		last = frappe.get_all(
			"KM Audit Event",
			filters={"article": article.name, "event_type": "Published"},
			fields=["review"],
			order_by="creation desc, name desc",
			limit=1,
		)
		if last and last[0].review:
			frappe.db.set_value(
				"KM Article",
				article.name,
				{"published_review": last[0].review, "published_by": None},
				update_modified=False,
			)
	frappe.db.set_value(
		"KM Article Version",
		{"review": ("is", "set"), "published_by": ("is", "set")},
		"published_by",
		None,
		update_modified=False,
	)

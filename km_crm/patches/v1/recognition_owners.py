"""Versions now record their author, and ticket links and reader feedback the article's owner (the
people energy points go to). Fill them in for the records made before."""

import frappe


def execute():
	owners = frappe.get_all(
		"KM Article", filters={"article_owner": ("is", "set")}, fields=["name", "article_owner"]
	)
	for doctype, field in (
		("KM Article Version", "author"),
		("KM Article Link", "article_owner"),
		("KM Article Feedback", "article_owner"),
	):
		table = frappe.qb.DocType(doctype)
		for row in owners:
			(
				frappe.qb.update(table)
				.set(table[field], row.article_owner)
				.where((table.article == row.name) & table[field].isnull())
				.run()
			)

"""The single "Resolved With Article" field on tickets became KM Article Links: move its values."""

import frappe

from km_crm import constants as C
from km_crm.knowledge import article_links
from km_crm.setup.uninstall import remove_custom_fields


def execute():
	for doctype in C.TICKET_DOCTYPES:
		if not frappe.db.exists("DocType", doctype) or not frappe.db.has_column(doctype, "km_article"):
			continue
		rows = frappe.get_all(
			doctype,
			filters={"km_article": ("is", "set")},
			fields=["name", "km_article", "modified_by"],
			ignore_permissions=True,
		)
		for row in rows:
			if frappe.db.exists("KM Article", row.km_article):
				article_links.add_link(row.km_article, doctype, row.name, C.LINK_SOLVED, user=row.modified_by)
		remove_custom_fields(doctype, ["km_article"])

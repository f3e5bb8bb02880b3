"""Ticket links showed the working copy's title and the ticket's subject to every reader of links:
they now carry the live version's title only, and no ticket subject."""

import frappe

from km_crm.knowledge import article_links


def execute():
	if frappe.db.has_column("KM Article Link", "ticket_subject"):
		frappe.db.sql_ddl("alter table `tabKM Article Link` drop column `ticket_subject`")
	for article in frappe.get_all("KM Article Link", pluck="article", distinct=True):
		article_links.refresh_titles(article)

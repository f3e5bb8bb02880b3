import frappe

from km_crm.portal import context as portal
from km_crm.portal import reader


def get_context(context):
	portal.prepare(context)
	category = frappe.form_dict.get("category") or ""
	context.category = category
	context.articles = reader.in_category(category, frappe.session.user)
	context.title = category
	context.metatags = {"title": category}

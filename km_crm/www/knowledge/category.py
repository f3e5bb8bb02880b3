import frappe
from frappe import _
from frappe.utils import escape_html

from km_crm.portal import context as portal
from km_crm.portal import reader


def get_context(context):
	portal.prepare(context)
	category = frappe.form_dict.get("category") or ""
	context.category = category
	context.articles = reader.in_category(category, frappe.session.user)
	# a category's name is translated like any text of the site (Translation records, the app's CSV)
	context.title = escape_html(_(category))  # Frappe's breadcrumbs show the title as HTML
	context.metatags = {"title": _(category)}

import frappe
from frappe import _

from km_crm.portal import context as portal
from km_crm.portal import reader

sitemap = 1


def get_context(context):
	portal.prepare(context)
	user = frappe.session.user
	context.title = _("Knowledge Base")
	context.metatags = {
		"title": context.title,
		"description": _("Answers to common questions, in English and Chinese."),
	}
	context.categories = reader.categories(user)
	context.popular = reader.popular(user)
	context.parents = []

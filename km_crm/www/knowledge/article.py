import frappe
from frappe.utils import escape_html, strip_html

from km_crm import constants as C
from km_crm.knowledge import deflection
from km_crm.portal import context as portal
from km_crm.portal import reader


def get_context(context):
	portal.prepare(context)
	name = frappe.form_dict.get("article") or ""
	try:
		article = reader.article(name, frappe.session.user)
	except frappe.PermissionError:
		portal.not_permitted()
	context.article = article
	context.deflection_session = _opened_from_ticket_form(name)
	context.reasons = C.FEEDBACK_REASONS
	context.title = escape_html(article["title"])  # Frappe's breadcrumbs show the title as HTML
	description = article["summary"] or strip_html(
		article["sections"][0]["html"] if article["sections"] else ""
	)
	context.metatags = {"title": article["title"], "description": description[:160]}
	if article["category"]:
		context.parents.append(
			{"route": f"/knowledge/category/{article['category']}", "title": article["category"]}
		)


def _opened_from_ticket_form(article: str) -> str | None:
	"""The visitor's deflection session when they came from a suggestion on their ticket form."""
	key = frappe.form_dict.get("deflection")
	if not key or not deflection.opened(key, article):
		return None
	frappe.local.flags.commit = True  # a GET: Frappe commits only when asked
	return key

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import escape_html, strip_html

from km_crm import constants as C
from km_crm.knowledge import article_feedback, deflection
from km_crm.portal import context as portal
from km_crm.portal import reader


def get_context(context):
	portal.prepare(context)
	name = frappe.form_dict.get("article") or ""
	try:
		article = reader.article(name, frappe.session.user)
	except frappe.PermissionError:
		portal.not_permitted()
	context.deflection_session = _opened_from_ticket_form(name)
	if not context.deflection_session:
		_follow_the_language_switch(article, context)
	context.article = article
	context.reasons = C.FEEDBACK_REASONS
	# asked once: a visit from a ticket form asks "did it solve your problem?" at the top instead
	context.my_vote = None if context.deflection_session else article_feedback.visitor_vote(name)
	context.title = escape_html(article["title"])  # Frappe's breadcrumbs show the title as HTML
	description = article["summary"] or strip_html(
		article["sections"][0]["html"] if article["sections"] else ""
	)
	context.metatags = {"title": article["title"], "description": description[:160]}
	if article["category"]:
		context.parents.append(
			{
				"route": f"/knowledge/category/{quote(article['category'])}",
				"title": escape_html(_(article["category"])),
			}
		)


def _follow_the_language_switch(article: dict, context) -> None:
	"""A reader who switches the portal's language reads the article's translation into it, when there
	is one they may read; otherwise the article stays, with a word that no translation exists yet."""
	chosen = frappe.form_dict.get("lang")
	if chosen not in dict(portal.LANGUAGES) or chosen == article["language"]:
		return
	for translation in article["translations"]:
		if translation["language"] == chosen:
			frappe.local.flags.redirect_location = f"/knowledge/{quote(translation['name'])}?lang={chosen}"
			raise frappe.Redirect(302)
	context.no_translation = True


def _opened_from_ticket_form(article: str) -> str | None:
	"""The visitor's deflection session when they came from a suggestion on their ticket form."""
	key = frappe.form_dict.get("deflection")
	if not key or not deflection.opened(key, article):
		return None
	frappe.local.flags.commit = True  # a GET: Frappe commits only when asked
	return key

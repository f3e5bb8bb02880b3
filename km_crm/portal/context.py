"""What every knowledge portal page sets up: the visitor's language (with a switch) and no caching
(pages differ per visitor)."""

import frappe
from frappe import _

from km_crm.visitors import ensure_visitor_cookie

LANGUAGES = (("en", "English"), ("zh", "中文"))


def prepare(context) -> None:
	context.no_cache = 1
	ensure_visitor_cookie()
	chosen = frappe.form_dict.get("lang")
	if chosen in dict(LANGUAGES):
		cookies = getattr(frappe.local, "cookie_manager", None)
		if cookies:
			cookies.set_cookie("preferred_language", chosen)
		frappe.local.lang = chosen
	context.km_lang = frappe.local.lang if frappe.local.lang in dict(LANGUAGES) else "en"
	context.km_languages = LANGUAGES
	context.km_home = "/knowledge"
	context.parents = [{"route": "/knowledge", "title": _("Knowledge Base")}]


def not_permitted() -> None:
	"""The site's own "not permitted" page, saying nothing about what was asked for."""
	raise frappe.PermissionError(_("You are not permitted to read this article."))

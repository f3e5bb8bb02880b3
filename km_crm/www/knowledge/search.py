import frappe
from frappe import _
from frappe.utils import escape_html

from km_crm.api.search import MAX_QUERY_CHARS, log_search, search_rows
from km_crm.portal import context as portal


def get_context(context):
	portal.prepare(context)
	query = (frappe.form_dict.get("q") or "").strip()[:MAX_QUERY_CHARS]
	context.query = query
	# the visitor's own words: Frappe's breadcrumbs show the title as HTML
	context.title = _("Search: {0}").format(escape_html(query)) if query else _("Search the knowledge base")
	context.results = search_rows(query, limit=20) if query else []
	if query:
		log_search(query, "Portal", None, context.results)

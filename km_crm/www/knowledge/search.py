import frappe
from frappe import _
from frappe.utils import escape_html

from km_crm.portal import context as portal
from km_crm.rate_limits import check_search_rate
from km_crm.search.site_search import MAX_QUERY_CHARS, log_search, search_rows


def get_context(context):
	portal.prepare(context)
	query = (frappe.form_dict.get("q") or "").strip()[:MAX_QUERY_CHARS]
	context.query = query
	# the visitor's own words: Frappe's breadcrumbs show the title as HTML
	context.title = _("Search: {0}").format(escape_html(query)) if query else _("Search the knowledge base")
	context.results = []
	if not query:
		return
	try:
		check_search_rate()
	except frappe.RateLimitExceededError:
		frappe.clear_last_message()
		context.rate_limited = True
		context.http_status_code = 429
		return
	context.results = search_rows(query, limit=20)
	log_search(query, "Portal", None, context.results)

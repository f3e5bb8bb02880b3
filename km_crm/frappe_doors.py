"""Frappe's own endpoints that would tell a user about knowledge records they may not read, closed
for km_crm's doctypes through the hooks Frappe offers (hooks.py: permission hooks on Tag Link,
override_whitelisted_methods). Every answer here is what frappe.get_list lets the user see, so
km_crm.permissions decides, as everywhere else.

- Tag Link rows carry the tagged record's title (a draft's included): knowledge records' tag links
  are for editors.
- frappe.client.get with filters answered "no access: KM Article Version - X" for a match the user
  may not read and "not found" otherwise, so titles could be guessed a prefix at a time: a match
  they may not read is now "not found" too.
- get_group_by_count's "Assigned To" counts and get_tagged_docs' names skip the permission
  conditions in Frappe: they now count and name only what the user may list.
- Link search with ignore_user_permissions=1 drops every permission condition in Frappe (any user
  with read on the doctype got every row): for knowledge records it keeps them.
- A dashboard chart of the Heatmap kind, a goal graph and a form's linked-record counts count rows
  with no permission conditions, over filters the caller chooses: for knowledge records they are
  the editors' (the counts of records nobody else may list).
- REST's expand_links reads every linked record without asking whether the user may: it is
  dropped on requests for records that link to knowledge records.
- A Notification Log about a knowledge record is its recipient's only (Frappe lists them so, but
  frappe.client.get by filters did not ask).
"""

from urllib.parse import unquote

import frappe
from frappe import _
from frappe import client as frappe_client
from frappe.desk import listview, notifications
from frappe.desk import search as frappe_search
from frappe.desk.doctype.dashboard_chart import dashboard_chart
from frappe.desk.doctype.tag import tag as frappe_tag
from frappe.utils import goal

from km_crm.permissions import readers, rules

APP = "km_crm"


def is_knowledge_doctype(doctype: str | None) -> bool:
	"""Is this one of km_crm's doctypes (whose reads km_crm.permissions governs)?"""
	if not doctype or not isinstance(doctype, str):
		return False
	cache = getattr(frappe.local, "km_knowledge_doctypes", None)
	if cache is None:
		cache = frappe.local.km_knowledge_doctypes = {}
	if doctype not in cache:
		try:
			cache[doctype] = frappe.get_doctype_app(doctype) == APP
		except Exception:
			cache[doctype] = False  # not a doctype: Frappe's own endpoint answers as it would
	return cache[doctype]


# -- Tag Link ----------------------------------------------------------------------------------------


def knowledge_doctypes() -> list[str]:
	modules = frappe.get_module_list(APP)
	return frappe.get_all("DocType", filters={"module": ("in", modules)}, pluck="name", order_by="name")


def tag_link_query_conditions(user: str | None = None) -> str:
	if rules.reads_everything(readers.reader(user)):
		return ""
	names = knowledge_doctypes()
	if not names:
		return ""
	TagLink = frappe.qb.DocType("Tag Link")
	return readers.condition_sql(TagLink.document_type.notin(names))


def tag_link_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	if is_knowledge_doctype(doc.get("document_type")) and not rules.reads_everything(readers.reader(user)):
		return False
	return None


# -- Endpoint overrides ------------------------------------------------------------------------------


@frappe.whitelist()
def client_get(doctype: str, name: str | None = None, filters=None, parent: str | None = None):
	"""frappe.client.get; a knowledge record asked for by filters must be one the user may list."""
	if is_knowledge_doctype(doctype) and not name and filters and not frappe.is_table(doctype):
		found = frappe.get_list(doctype, filters=frappe.parse_json(filters), pluck="name", limit=1)
		if not found:
			raise frappe.DoesNotExistError(_("{0} not found").format(_(doctype)))
		name, filters = found[0], None
	return frappe_client.get(doctype, name=name, filters=filters, parent=parent)


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's group-by counts; for knowledge records "Assigned To" counts only the
	records the user may list (Frappe's own query skips the permission conditions there)."""
	if field == "assigned_to" and is_knowledge_doctype(doctype):
		listed = frappe.get_list(
			doctype, filters=frappe.parse_json(current_filters), pluck="name", limit_page_length=0
		)
		current_filters = frappe.as_json([[doctype, "name", "in", listed or [""]]])
	return listview.get_group_by_count(doctype, current_filters, field)


@frappe.whitelist()
def get_tagged_docs(doctype: str, tag: str):
	"""Names of the records with a tag; for knowledge records only those the user may list."""
	if is_knowledge_doctype(doctype):
		return frappe.get_list(doctype, filters={"_user_tags": ("like", tag)}, fields=["name"], as_list=True)
	return frappe_tag.get_tagged_docs(doctype, tag)


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	return frappe_search.search_link(
		doctype,
		txt,
		query=query,
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=ignore_user_permissions and not is_knowledge_doctype(doctype),
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | dict | list | None = None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	return frappe_search.search_widget(
		doctype,
		txt,
		query=query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=ignore_user_permissions and not is_knowledge_doctype(doctype),
	)


@frappe.whitelist()
def dashboard_chart_get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
):
	definition = (
		frappe.db.get_value("Dashboard Chart", chart_name, ["document_type", "type"], as_dict=True)
		if chart_name
		else frappe._dict(frappe.parse_json(chart) or {})
	) or frappe._dict()
	if definition.get("type") == "Heatmap" and is_knowledge_doctype(definition.get("document_type")):
		_editors_only()
	return dashboard_chart.get(
		chart_name=chart_name,
		chart=chart,
		no_cache=no_cache,
		filters=filters,
		from_date=from_date,
		to_date=to_date,
		timespan=timespan,
		time_interval=time_interval,
		heatmap_year=heatmap_year,
		refresh=refresh,
	)


@frappe.whitelist()
def get_monthly_goal_graph_data(
	title: str,
	doctype: str,
	docname: str,
	goal_value_field: str,
	goal_total_field: str,
	goal_history_field: str,
	goal_doctype: str,
	goal_doctype_link: str,
	goal_field: str,
	date_field: str,
	aggregation: str = "sum",
	filters: str | dict | None = None,
) -> dict:
	if is_knowledge_doctype(goal_doctype):
		_editors_only()
	return goal.get_monthly_goal_graph_data(
		title,
		doctype,
		docname,
		goal_value_field,
		goal_total_field,
		goal_history_field,
		goal_doctype,
		goal_doctype_link,
		goal_field,
		date_field,
		aggregation=aggregation,
		filters=filters,
	)


@frappe.whitelist()
def get_open_count(doctype: str, name: str, items=None):
	if items and not rules.reads_everything(readers.reader()):
		items = [d for d in frappe.parse_json(items) if not is_knowledge_doctype(d)]
	return notifications.get_open_count(doctype, name, items)


def _editors_only() -> None:
	if not rules.reads_everything(readers.reader()):
		frappe.throw(_("Only the knowledge base's editors may chart its records."), frappe.PermissionError)


# -- Request hooks and other doctypes' permissions -----------------------------------------------------

REST_PREFIXES = ("/api/resource/", "/api/v1/resource/", "/api/v2/document/")


def drop_expand_links() -> None:
	"""before_request: REST reads linked records for expand_links without asking; never for records
	that are, or link to, knowledge records."""
	request = getattr(frappe.local, "request", None)
	if not request or not frappe.form_dict.get("expand_links"):
		return
	path = request.path or ""
	prefix = next((p for p in REST_PREFIXES if path.startswith(p)), None)
	if not prefix:
		return
	doctype, _sep, name = path[len(prefix) :].partition("/")
	doctype, name = unquote(doctype), unquote(name.split("/", 1)[0])
	if is_knowledge_doctype(doctype) or _links_to_knowledge(doctype, name):
		frappe.form_dict.pop("expand_links", None)


def _links_to_knowledge(doctype: str, name: str) -> bool:
	"""Does this record have a link field to a knowledge doctype, or a dynamic link that points to
	one (as a Communication or a ToDo about an article does)?"""
	try:
		meta = frappe.get_meta(doctype)
	except Exception:
		return False
	links = meta.get("fields", {"fieldtype": ("in", ("Link", "Dynamic Link"))})
	if any(df.fieldtype == "Link" and is_knowledge_doctype(df.options) for df in links):
		return True
	dynamic = [df.options for df in links if df.fieldtype == "Dynamic Link" and df.options]
	if not dynamic or not name:
		return False
	values = frappe.db.get_value(doctype, name, dynamic, as_dict=True) or {}
	return any(is_knowledge_doctype(v) for v in values.values())


def notification_log_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	"""A notification about a knowledge record (a review's outcome, with the committee's comments) is
	for its recipient."""
	user = user or frappe.session.user
	if is_knowledge_doctype(doc.get("document_type")) and user not in (doc.get("for_user"), "Administrator"):
		return False
	return None

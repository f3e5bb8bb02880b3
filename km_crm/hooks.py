from km_crm.constants import KM_ROLES

app_name = "km_crm"
app_title = "Knowledge"
app_publisher = "km_crm contributors"
app_description = "Governed knowledge management for ERPNext CRM and helpdesk"
app_email = "dev@km-crm.invalid"
app_license = "mit"

required_apps = ["erpnext"]

app_include_css = "/assets/km_crm/css/km_crm.css"

# Installation
after_install = "km_crm.setup.install.after_install"
after_migrate = "km_crm.setup.install.after_migrate"
before_uninstall = "km_crm.setup.uninstall.before_uninstall"
# bench run-tests: the test site's setup and the test process's switch (km_crm/testing.py)
before_tests = "km_crm.tests.setup.before_tests"

# Helpdesk is optional: its fields are added when it is installed after us and removed with it
after_app_install = "km_crm.setup.install.after_app_install"
before_app_uninstall = "km_crm.setup.uninstall.before_app_uninstall"

fixtures = [
	{
		"dt": "Role",
		"filters": [["name", "in", list(KM_ROLES)]],
	},
]
# the Energy Point Rules km_crm ships are added by install and migrate, never overwritten
# (km_crm/roi/point_rules.py)


scheduler_events = {
	"hourly": [
		"km_crm.knowledge.deflection.settle_sessions",
		"km_crm.governance.tasks.close_expired_reviews",
		"km_crm.governance.tasks.remind_pending_voters",
	],
	"monthly": [
		"km_crm.roi.quality_sampling.sample_last_month",
		"km_crm.roi.link_sampling.sample_last_month",
	],
	"daily": [
		"km_crm.knowledge.review_due.flag_articles_due_for_review",
		"km_crm.knowledge.reverification.check_published_articles",
	],
	# the nightly repairs and rebuilds run on the long queue, out of the short jobs' way
	"daily_long": [
		"km_crm.search.indexer.reconcile",
		"km_crm.attachments.files.reconcile",
		"km_crm.tickets.ticket_index.reconcile",
		"km_crm.search.semantic.embed_articles",
		"km_crm.tickets.ticket_index.embed_vectors",
		"km_crm.search.semantic.update_question_means",
		"km_crm.experts.profiles.nightly",
	],
	"weekly_long": ["km_crm.gaps.ticket_gaps.find_gaps"],
}

# Who reads which knowledge: one module answers REST, lists, reports, link search and exports
permission_query_conditions = {
	"KM Article": "km_crm.permissions.readers.article_query_conditions",
	"KM Article Version": "km_crm.permissions.readers.version_query_conditions",
	"KM Article Link": "km_crm.permissions.readers.link_query_conditions",
	"KM Quality Check": "km_crm.permissions.readers.quality_check_query_conditions",
	"KM Link Check": "km_crm.permissions.readers.link_check_query_conditions",
	# Frappe's Tag Link carries the tagged record's title: knowledge records' tags are for editors
	"Tag Link": "km_crm.frappe_doors.tag_link_query_conditions",
}
has_permission = {
	"KM Article": "km_crm.permissions.readers.article_has_permission",
	"KM Article Version": "km_crm.permissions.readers.version_has_permission",
	"KM Article Link": "km_crm.permissions.readers.link_has_permission",
	"KM Quality Check": "km_crm.permissions.readers.quality_check_has_permission",
	"KM Link Check": "km_crm.permissions.readers.link_check_has_permission",
	"Tag Link": "km_crm.frappe_doors.tag_link_has_permission",
	"Notification Log": "km_crm.frappe_doors.notification_log_has_permission",
}
# Frappe's leaderboard: the User board shows citations (reuse by others) beside energy points
leaderboards = "km_crm.roi.recognition.get_leaderboards"
# Frappe endpoints that skip permission conditions or name records in their errors answer, for
# km_crm's doctypes, with what the user may list (km_crm/frappe_doors.py)
override_whitelisted_methods = {
	"frappe.client.get": "km_crm.frappe_doors.client_get",
	"frappe.desk.listview.get_group_by_count": "km_crm.frappe_doors.get_group_by_count",
	"frappe.desk.doctype.tag.tag.get_tagged_docs": "km_crm.frappe_doors.get_tagged_docs",
	"frappe.desk.search.search_link": "km_crm.frappe_doors.search_link",
	"frappe.desk.search.search_widget": "km_crm.frappe_doors.search_widget",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "km_crm.frappe_doors.dashboard_chart_get",
	"frappe.utils.goal.get_monthly_goal_graph_data": "km_crm.frappe_doors.get_monthly_goal_graph_data",
	"frappe.desk.notifications.get_open_count": "km_crm.frappe_doors.get_open_count",
	# one knowledge base: Helpdesk's article search (its new-ticket page, its knowledge base) finds ours
	"helpdesk.api.article.search": "km_crm.api.helpdesk.search",
}
# REST's expand_links reads linked records without a permission check
before_request = ["km_crm.frappe_doors.drop_expand_links"]
# Helpdesk's customer "Knowledge Base" opens ours, also when its app moves there without a page load
after_request = ["km_crm.integrations.helpdesk.knowledge_link.after_request"]

# The knowledge portal (/knowledge): server-rendered pages in km_crm/www/knowledge
website_route_rules = [
	{"from_route": "/knowledge/search", "to_route": "knowledge/search"},
	{"from_route": "/knowledge/category/<category>", "to_route": "knowledge/category"},
	{"from_route": "/knowledge/<article>", "to_route": "knowledge/article"},
]
page_renderer = ["km_crm.portal.sitemap.KnowledgeSitemap"]

# Knowledge inside the ticket: the panel on the desk forms (Helpdesk's agent UI gets an HD Form Script)
# (plain-text fields, the ticket panel, report filters, the organisation panel: km_crm.bundle.js)
app_include_js = "km_crm.bundle.js"
doctype_js = {
	"Issue": "integrations/erpnext/issue.js",
	"HD Ticket": "integrations/helpdesk/hd_ticket_desk.js",
}
# Self-service: suggestions on ERPNext's portal issue form (Helpdesk's new-ticket page: HD Form Script)
webform_include_js = {"Issue": "integrations/erpnext/issue_webform.js"}

# Resolved tickets are indexed for "similar tickets" after the save commits (never in the request);
# a new ticket ends the customer's deflection session ("submitted anyway")
doc_events = {
	"Issue": {
		"after_insert": [
			"km_crm.integrations.ticket_events.on_ticket_insert",
			"km_crm.experts.routing.on_ticket_insert",
		],
		"on_update": "km_crm.integrations.ticket_events.on_ticket_update",
		# a save, and a status set by db_set (a customer's e-mail reopening a closed issue)
		"on_change": "km_crm.integrations.reopened_tickets.on_ticket_change",
		"on_trash": "km_crm.integrations.ticket_events.on_ticket_trash",
	},
	"HD Ticket": {
		"after_insert": [
			"km_crm.integrations.ticket_events.on_ticket_insert",
			"km_crm.experts.routing.on_ticket_insert",
		],
		"on_update": "km_crm.integrations.ticket_events.on_ticket_update",
		# a save, and a status set by db_set (a customer's e-mail reopening a closed issue)
		"on_change": "km_crm.integrations.reopened_tickets.on_ticket_change",
		"on_trash": "km_crm.integrations.ticket_events.on_ticket_trash",
	},
	# experts: the evidence index is read again after what changes it (resolutions teach it directly)
	# search: a live article is indexed again after the commit (km_crm.search.indexer)
	"KM Article": {
		"on_update": [
			"km_crm.search.indexer.on_article_change",
			"km_crm.search.semantic.on_article_change",
			"km_crm.experts.evidence.on_article_update",
		],
		"after_delete": [
			"km_crm.search.indexer.on_article_change",
			"km_crm.search.semantic.on_article_change",
		],
	},
	"KM Review Vote": {"after_insert": "km_crm.experts.evidence.on_change"},
	# attached files: kept private unless the article is Public, read to text in the background
	"File": {"after_insert": "km_crm.attachments.files.on_file_insert"},
	# re-verification: articles naming an Item hear of its new variants, disabling, description edits
	"Item": {
		"after_insert": "km_crm.knowledge.reverification.on_item_insert",
		"on_update": "km_crm.knowledge.reverification.on_item_update",
	},
}

export_python_type_annotations = True

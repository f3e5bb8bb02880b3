from km_crm.roles import KM_ROLES

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

# Helpdesk is optional: its fields are added when it is installed after us and removed with it
after_app_install = "km_crm.setup.install.after_app_install"
before_app_uninstall = "km_crm.setup.uninstall.before_app_uninstall"

fixtures = [
	{
		"dt": "Role",
		"filters": [["name", "in", list(KM_ROLES)]],
	},
]


scheduler_events = {
	"hourly": [
		"km_crm.governance.tasks.close_expired_reviews",
		"km_crm.governance.tasks.remind_pending_voters",
	],
	"daily": [
		"km_crm.governance.tasks.flag_articles_due_for_review",
		"km_crm.search.indexer.reconcile",
	],
}

has_permission = {
	"KM Article": "km_crm.permissions.article_has_permission",
}

export_python_type_annotations = True

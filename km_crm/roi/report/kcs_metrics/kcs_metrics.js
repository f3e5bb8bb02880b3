frappe.query_reports["KCS Metrics"] = {
	filters: [
		...km_crm.report_filters.period(1),
		km_crm.report_filters.team(),
		...km_crm.report_filters.articles(),
	],
	onload: km_crm.report_filters.load_teams,
};

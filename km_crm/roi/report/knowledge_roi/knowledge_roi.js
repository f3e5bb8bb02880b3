frappe.query_reports["Knowledge ROI"] = {
	filters: [
		...km_crm.report_filters.period(3),
		{
			fieldname: "view",
			label: __("Show"),
			fieldtype: "Select",
			options: [
				{ value: "Articles", label: __("Articles") },
				{ value: "Months", label: __("Months") },
			],
			default: "Articles",
		},
		km_crm.report_filters.team(),
		...km_crm.report_filters.articles(),
		{ fieldname: "company", label: __("Company (Costs)"), fieldtype: "Link", options: "Company" },
	],
	onload: km_crm.report_filters.load_teams,
};

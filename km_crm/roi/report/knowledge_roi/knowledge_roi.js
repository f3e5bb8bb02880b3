frappe.query_reports["Knowledge ROI"] = {
	filters: [
		...km_crm.report_filters.period(3, { whole_months: true }),
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
	// article titles are plain text, shown as typed, never as markup
	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "title") return frappe.utils.escape_html(value || "");
		return default_formatter(value, row, column, data);
	},
};

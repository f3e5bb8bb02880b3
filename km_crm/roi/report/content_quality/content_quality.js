frappe.query_reports["Content Quality"] = {
	filters: [
		...km_crm.report_filters.period(6, { whole_months: true }),
		{
			fieldname: "group_by",
			label: __("Trend of"),
			fieldtype: "Select",
			options: [
				{ value: "Contributor", label: __("Contributor") },
				{ value: "Team", label: __("Team") },
			],
			default: "Contributor",
		},
		km_crm.report_filters.team(),
		{ fieldname: "contributor", label: __("Contributor"), fieldtype: "Link", options: "User" },
	],
	onload: km_crm.report_filters.load_teams,
};

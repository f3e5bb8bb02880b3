frappe.query_reports["Knowledge ROI"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -3),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
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
		{ fieldname: "category", label: __("Category"), fieldtype: "Link", options: "KM Category" },
		{
			fieldname: "language",
			label: __("Language"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "en", label: __("English") },
				{ value: "zh", label: __("Chinese") },
			],
		},
		{ fieldname: "company", label: __("Company (Costs)"), fieldtype: "Link", options: "Company" },
	],
};

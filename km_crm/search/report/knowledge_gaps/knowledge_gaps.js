frappe.query_reports["Knowledge Gaps"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Searched From"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -30),
		},
		{ fieldname: "to_date", label: __("Searched To"), fieldtype: "Date", default: frappe.datetime.get_today() },
	],
	// what people typed is shown as text, never as markup
	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "query") return frappe.utils.escape_html(data ? data.query : value);
		return default_formatter(value, row, column, data);
	},
	onload(report) {
		km_crm.label_report_filters(report);
	},
};

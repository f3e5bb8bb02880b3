frappe.query_reports["Knowledge Gaps"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -30),
		},
		{ fieldname: "to_date", label: __("To"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "source",
			label: __("Source"),
			fieldtype: "Select",
			options: [
				{ value: "", label: __("Searches and Tickets") },
				{ value: "Searches", label: __("Searches") },
				{ value: "Tickets", label: __("Tickets") },
			],
		},
		{
			fieldname: "language",
			label: __("Language"),
			fieldtype: "Select",
			options: [
				{ value: "", label: __("All Languages") },
				{ value: "zh", label: __("Chinese") },
				{ value: "en", label: __("English") },
			],
		},
	],
	// what people typed is shown as text, never as markup
	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "gap") return frappe.utils.escape_html(data ? data.gap : value);
		return default_formatter(value, row, column, data);
	},
	onload(report) {
		km_crm.label_report_filters(report);
		if (frappe.user.has_role(["KM Coach", "KM Manager", "System Manager"])) {
			report.page.add_inner_button(__("Find Gaps in Tickets Now"), () =>
				frappe
					.xcall("km_crm.api.gaps.find_now")
					.then((message) => frappe.show_alert({ message, indicator: "blue" }))
			);
		}
	},
};

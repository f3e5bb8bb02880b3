frappe.query_reports["Self-Service Deflection"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -30),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "channel",
			label: __("Ticket Form"),
			fieldtype: "Select",
			options: ["", "ERPNext Portal", "Helpdesk Portal"].map((value) => ({ value, label: __(value) })),
		},
	],
	// article titles are plain text, shown as typed, never as markup
	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "title") return frappe.utils.escape_html(value || "");
		return default_formatter(value, row, column, data);
	},
};

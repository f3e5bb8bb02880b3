// Filters the knowledge reports share: period, team, category and language.
frappe.provide("km_crm.report_filters");

// `whole_months`: the period starts on the first of a month, so a report by month shows no month
// cut short (its savings without the costs posted on the 1st)
km_crm.report_filters.period = (months_back, { whole_months = false } = {}) => [
	{
		fieldname: "from_date",
		label: __("From Date"),
		fieldtype: "Date",
		default: ((since) => (whole_months ? `${since.slice(0, 8)}01` : since))(
			frappe.datetime.add_months(frappe.datetime.get_today(), -months_back)
		),
	},
	{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
];

km_crm.report_filters.team = () => ({
	fieldname: "team",
	label: __("Team"),
	fieldtype: "Autocomplete",
	options: [],
});

km_crm.report_filters.articles = () => [
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
];

// Helpdesk teams and ERPNext departments, read when the report opens.
km_crm.report_filters.load_teams = (report) =>
	frappe.xcall("km_crm.api.reports.team_names").then((names) => {
		const filter = report.get_filter("team");
		if (filter) filter.set_data(names);
	});

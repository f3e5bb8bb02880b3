// Plain-text fields of knowledge records are stored exactly as typed ("a <b> tag" stays that text),
// so wherever the desk shows them (lists, report view, grids, link titles) they are shown as text.
frappe.provide("km_crm");

km_crm.PLAIN_TEXT_FIELDS = {
	"KM Article": ["title", "summary", "tags"],
	"KM Article Version": ["title"],
	"KM Article Link": ["article_title"],
	"KM Review": ["article_title", "submission_note"],
	"KM Review Vote": ["comment"],
	"KM Audit Event": ["details"],
	"KM Search Log": ["query"],
	"KM Article Feedback": ["comment"],
};

km_crm.is_plain_text_field = (df) =>
	Boolean(df && (km_crm.PLAIN_TEXT_FIELDS[df.parent] || []).includes(df.fieldname));

// formatters are looked up by fieldtype without spaces (frappe.form.get_formatter)
for (const fieldtype of ["Data", "SmallText", "Text", "LongText"]) {
	const format = frappe.form.formatters[fieldtype];
	frappe.form.formatters[fieldtype] = function (value, df, ...rest) {
		if (km_crm.is_plain_text_field(df) && typeof value === "string") {
			value = frappe.utils.escape_html(value);
		}
		return format.call(this, value, df, ...rest);
	};
}

// Report filters show their label only as a placeholder, which a default value hides: label them.
km_crm.label_report_filters = (report) => {
	for (const filter of report.filters || []) {
		const $wrapper = filter.$wrapper;
		if (!$wrapper || $wrapper.find(".km-filter-label").length) continue;
		$wrapper.prepend(`<div class="km-filter-label">${frappe.utils.escape_html(filter.df.label)}</div>`);
	}
};

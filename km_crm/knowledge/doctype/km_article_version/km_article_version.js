// A published version read as an article: its KCS sections, as they were frozen (already sanitized
// by the allow-list when the article was saved).
const KM_VERSION_SECTIONS = [
	["summary", __("Summary")],
	["issue", __("Issue")],
	["environment", __("Environment")],
	["resolution", __("Resolution")],
	["cause", __("Cause")],
];

frappe.ui.form.on("KM Article Version", {
	refresh(frm) {
		let snapshot = {};
		try {
			snapshot = JSON.parse(frm.doc.snapshot || "{}");
		} catch (e) {
			snapshot = {};
		}
		const sections = KM_VERSION_SECTIONS.filter(([field]) => (snapshot[field] || "").trim())
			.map(
				([field, label]) => `<div class="km-version-section">
					<h4>${label}</h4>
					<div class="km-version-body">${
						field === "summary" ? frappe.utils.escape_html(snapshot[field]) : snapshot[field]
					}</div>
				</div>`
			)
			.join("");
		frm.get_field("content_html").$wrapper.html(
			`<div class="km-version">${sections || `<p class="text-muted">${__("This version has no content.")}</p>`}</div>`
		);
		frm.disable_save();
	},
});

// Desk page: search the knowledge base (every audience a desk user may see), best passage first.

frappe.pages["knowledge-search"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Knowledge Search"), single_column: true });
	new KnowledgeSearch(page);
};

class KnowledgeSearch {
	constructor(page) {
		this.page = page;
		this.query = page.add_field({
			fieldname: "query",
			fieldtype: "Data",
			label: __("Describe the problem"),
			placeholder: __("e.g. invoice tax wrong / 发票 税额"),
			change: () => this.search(),
		});
		this.language = page.add_field({
			fieldname: "language",
			fieldtype: "Select",
			label: __("Language"),
			options: [
				{ value: "", label: __("Any language") },
				{ value: "en", label: __("English") },
				{ value: "zh", label: __("Chinese") },
			],
			change: () => this.search(),
		});
		this.$results = $('<div class="km-search-results"></div>').appendTo(page.main);
		const q = frappe.utils.get_url_arg("q");
		if (q) this.query.set_value(q);
		this.query.$input.focus();
	}

	search() {
		const query = (this.query.get_value() || "").trim();
		const key = `${query}\u0000${this.language.get_value() || ""}`;
		if (key === this.last_key) return; // one Enter fires "change" twice
		this.last_key = key;
		if (!query) {
			this.$results.empty();
			return;
		}
		frappe
			.call("km_crm.api.search.search", { query, channel: "Desk", lang: this.language.get_value() || null, limit: 20 })
			.then((r) => this.render(query, r.message));
	}

	render(query, { results, search_id }) {
		if (!results.length) {
			this.$results.html(
				`<div class="text-muted" style="padding: 2rem 0">${__("No article answers this yet. Your search is recorded for the Knowledge Gaps report.")}</div>`
			);
			return;
		}
		this.$results.html(
			results
				.map(
					(r, i) => `<div class="km-result" style="padding: 12px 0; border-bottom: 1px solid var(--border-color)">
						<a class="km-open h5" data-article="${encodeURIComponent(r.article)}" data-position="${i + 1}"
							href="${encodeURI(r.route || "")}">${r.title_html}</a>
						<span class="indicator-pill ${r.audience === "Internal" ? "gray" : "blue"}" style="margin-left: 8px">${__(r.audience)}</span>
						${r.other_language ? `<span class="indicator-pill orange" style="margin-left: 4px">${frappe.utils.escape_html(r.language_label)}</span>` : ""}
						<div class="text-muted small">${frappe.utils.escape_html(r.heading || "")}</div>
						<div>${r.snippet_html}</div>
						${km_file_link(r)}
					</div>`
				)
				.join("")
		);
		this.$results.find(".km-open").on("click", (e) => {
			const $a = $(e.currentTarget);
			if (!search_id) return;
			frappe.xcall("km_crm.api.search.log_click", {
				search_id,
				article: decodeURIComponent($a.data("article")),
				position: $a.data("position"),
				query,
				channel: "Desk",
			});
		});
	}
}

// "Manual.pdf, page 4" under a result found inside an attached file, opening the file at that page
function km_file_link(r) {
	if (!r.file) return "";
	const esc = frappe.utils.escape_html;
	const label = esc(__("Found in {0}", [r.file.label]));
	return `<div class="small km-result-file" style="margin-top: 4px">${
		r.file.url ? `<a href="${esc(r.file.url)}" target="_blank" rel="noopener">${label}</a>` : label
	}</div>`;
}

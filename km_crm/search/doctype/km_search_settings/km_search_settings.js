// KM Search Settings: how far the semantic index has come, under "Search by Meaning".
frappe.ui.form.on("KM Search Settings", {
	refresh(frm) {
		const status = frm.doc.__onload && frm.doc.__onload.semantic_status;
		if (!status) return;
		const line = (label, part) =>
			part.embedded === null
				? __("{0}: the search engine did not answer", [label])
				: __("{0}: {1} of {2}", [label, part.embedded, part.total]);
		const questions = (means) => {
			const names = { en: __("English"), zh: __("Chinese") };
			const langs = Object.keys(means);
			return langs.length
				? __("Across languages, learnt from this site's questions: {0}", [
						langs
							.map((lang) =>
								__("{0} from {1} questions", [names[lang] || lang, cint(means[lang])])
							)
							.join(", "),
				  ])
				: __(
						"Across languages: by the model alone until this site has 30 searches in a language (learnt nightly)"
				  );
		};
		let html;
		if (!status.available) {
			html = `<p class="text-muted">${__(
				"Search by meaning is not available on this server, so search matches words only."
			)}</p><p class="text-muted small">${frappe.utils.escape_html(status.reason || "")}</p>`;
		} else if (!status.switched_on) {
			html = `<p class="text-muted">${__("Switched off: search matches words only.")}</p>`;
		} else {
			html = `<p>${__("Semantic index")}</p><ul>
				<li>${line(__("Articles"), status.articles)}</li>
				<li>${line(__("Resolved tickets"), status.tickets)}</li>
				${
					status.pages
						? `<li>${__("Pages of attached files: {0}", [cint(status.pages)])}</li>`
						: ""
				}
				<li>${questions(status.question_means || {})}</li></ul>
				<p class="text-muted small">${frappe.utils.escape_html(status.model)}</p>`;
		}
		frm.get_field("semantic_status").$wrapper.html(html);
	},
});

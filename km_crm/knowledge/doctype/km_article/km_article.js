// Desk form of a knowledge article: governance actions, versions and history.

const KM_API = "km_crm.api.articles.";

frappe.ui.form.on("KM Article", {
	setup(frm) {
		// language codes are stored; people read language names
		frm.set_df_property("language", "options", [
			{ value: "en", label: __("English") },
			{ value: "zh", label: __("Chinese") },
		]);
	},
	refresh(frm) {
		if (frm.is_new()) return;
		km_article.show_published_by(frm);
		km_article.lock_form(frm);
		km_article.show_live_banner(frm);
		km_article.add_actions(frm);
		km_article.render_history(frm);
		km_article.show_files(frm);
	},
});

const km_article = {
	call(frm, method, args, message) {
		return frappe
			.call({ method: KM_API + method, args: { article: frm.doc.name, ...args }, freeze: true })
			.then((r) => {
				if (message) frappe.show_alert({ message, indicator: "green" });
				frm.reload_doc();
				return r.message;
			});
	},

	// What the server allows this user (KM Candidates edit only their own articles).
	can(frm, what) {
		return Boolean((frm.doc.__onload || {})[what]);
	},

	// The server refuses content changes in review and to those who may not write; the form shows it
	// (the fields were drawn before this runs, so they are drawn again read-only).
	lock_form(frm) {
		if (!km_article.can(frm, "km_can_write") || ["In Review", "Archived"].includes(frm.doc.status)) {
			frm.set_read_only();
			frm.disable_save();
			frm.refresh_fields();
		}
	},

	// A committee's approval is published by the committee's decision, not by whoever cast the last vote.
	show_published_by(frm) {
		const decision = (frm.doc.__onload || {}).km_published_decision;
		const field = frm.get_field("published_review");
		if (!field) return;
		field.df.formatter = (value) => {
			if (!value) return "";
			const esc = frappe.utils.escape_html;
			const link = `<a href="/app/km-review/${encodeURIComponent(value)}">${esc(value)}</a>`;
			if (!decision) return link;
			return `${esc(
				__("{0}: approved by {1} of {2} voting members", [
					decision.committee,
					decision.approvals,
					decision.eligible_voters,
				])
			)} · ${link}`;
		};
		frm.refresh_field("published_review");
	},

	show_live_banner(frm) {
		const { status, published_version, version, current_review } = frm.doc;
		if (status === "In Review" && current_review) {
			const review = `<a href="/app/km-review/${encodeURIComponent(current_review)}">${frappe.utils.escape_html(
				current_review
			)}</a>`;
			const parts = [
				km_article.can(frm, "km_can_withdraw")
					? __(
							"This article is in review ({0}): editing is locked until the committee decides. Withdraw the review to edit.",
							[review]
					  )
					: __("This article is in review ({0}): editing is locked until the committee decides.", [review]),
			];
			if (published_version) {
				parts.push(__("Readers still see the published {0}.", [frappe.utils.escape_html(published_version)]));
			}
			frm.dashboard.set_headline(parts.join(" "), "orange");
		} else if (published_version && status === "Draft") {
			frm.dashboard.set_headline(
				__("You are editing draft version {0}. Readers still see the published {1}.", [
					version,
					published_version,
				]),
				"blue"
			);
		} else if (status === "Needs Review") {
			frm.dashboard.set_headline(
				__("This article is due for review. Submit it for review again or edit it."),
				"orange"
			);
		}
	},

	// What became of each attached file: read and searchable, searchable once published, or why not.
	show_files(frm) {
		frappe.call({ method: KM_API + "file_statuses", args: { article: frm.doc.name } }).then((r) => {
			const rows = r.message || [];
			frm.dashboard.parent.find(".km-files").remove();
			if (!rows.length) return;
			const colors = { live: "green", draft: "blue", reading: "blue", off: "gray", problem: "orange" };
			const lines = rows.map(
				(f) =>
					`<div class="km-file-status km-file-${f.state}">` +
					`<span class="indicator-pill ${colors[f.state] || "gray"}">${frappe.utils.escape_html(
						{
							live: __("Searchable"),
							draft: __("After publishing"),
							reading: __("Reading"),
							off: __("Not searched"),
							problem: __("Not searched"),
						}[f.state] || f.state
					)}</span> ${frappe.utils.escape_html(f.message)}</div>`
			);
			frm.dashboard.add_section(lines.join(""), __("Attached Files"), "km-files");
			frm.dashboard.show();
		});
	},

	add_actions(frm) {
		const roles = frappe.user_roles;
		const can_publish = roles.includes("KM Publisher") || roles.includes("KM Manager");
		const can_write = km_article.can(frm, "km_can_write");
		const { status, current_review } = frm.doc;

		if (current_review) {
			frm.add_custom_button(__("Open Review"), () =>
				frappe.set_route("Form", "KM Review", current_review)
			);
		}
		if (!can_write) return;

		if (["Draft", "Needs Review"].includes(status) && !current_review) {
			frm.add_custom_button(__("Submit for Review"), () => km_article.submit(frm)).addClass(
				"btn-primary"
			);
		}
		if (status === "Draft" && can_publish && !roles.includes("KM Candidate")) {
			frm.add_custom_button(__("Publish"), () =>
				frappe.confirm(__("Publish this version now, without a committee review?"), () =>
					km_article.call(frm, "publish", {}, __("Published"))
				)
			);
		}
		if (current_review && km_article.can(frm, "km_can_withdraw")) {
			frm.add_custom_button(__("Withdraw from Review"), () =>
				frappe.confirm(__("Withdraw this article from its review?"), () =>
					km_article.call(frm, "withdraw", {}, __("Withdrawn"))
				)
			);
		}
		if (["Published", "Needs Review"].includes(status) && !current_review) {
			frm.add_custom_button(__("Retire"), () => km_article.retire(frm));
		}
		const is_owner = frm.doc.article_owner === frappe.session.user;
		if (!current_review && (is_owner || roles.includes("KM Manager") || roles.includes("System Manager"))) {
			frm.add_custom_button(__("Change Owner"), () => km_article.change_owner(frm));
		}
		frm.add_custom_button(__("Compare"), () => km_article.compare(frm), __("Versions"));
		frm.add_custom_button(__("Restore"), () => km_article.restore(frm), __("Versions"));
	},

	submit(frm) {
		frappe.prompt(
			[{ fieldname: "note", fieldtype: "Small Text", label: __("Note for the committee") }],
			(values) => km_article.call(frm, "submit_for_review", values, __("Submitted for review")),
			__("Submit for Review"),
			__("Submit")
		);
	},

	change_owner(frm) {
		frappe.prompt(
			[
				{ fieldname: "new_owner", fieldtype: "Link", options: "User", label: __("New Owner"), reqd: 1 },
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Why?") },
			],
			(values) => km_article.call(frm, "change_owner", values, __("Owner changed")),
			__("Hand the Article to a New Owner"),
			__("Change Owner")
		);
	},

	retire(frm) {
		frappe.prompt(
			[{ fieldname: "reason", fieldtype: "Small Text", label: __("Why retire it?"), reqd: 1 }],
			(values) =>
				km_article.call(frm, "request_retirement", values, __("Retirement sent to the committee")),
			__("Retire Article"),
			__("Request Retirement")
		);
	},

	async version_options(frm, with_working) {
		const r = await frappe.call(KM_API + "get_versions", { article: frm.doc.name });
		const options = (r.message || []).map((v) => ({
			value: v.name,
			label: `v${v.version} · ${frappe.datetime.str_to_user(v.published_on)}`,
		}));
		if (with_working) options.unshift({ value: "working", label: __("Working copy") });
		return options;
	},

	async compare(frm) {
		const options = await km_article.version_options(frm, true);
		if (options.length < 2) {
			frappe.msgprint(__("There is nothing to compare yet: publish a version first."));
			return;
		}
		// Long articles open with the unchanged fields hidden
		const length = ["issue", "environment", "resolution", "cause", "summary"]
			.map((f) => (frm.doc[f] || "").length)
			.reduce((a, b) => a + b, 0);
		const show = (html) => {
			dialog.fields_dict.diff.$wrapper.html(html);
			km_article.apply_changes_only(dialog);
		};
		const run = (from_version, to_version) =>
			frappe
				.call(KM_API + "compare_versions", { article: frm.doc.name, from_version, to_version })
				.then((r) => show(r.message));
		const dialog = new frappe.ui.Dialog({
			title: __("Compare Versions"),
			size: "extra-large",
			fields: [
				{ fieldname: "from_version", fieldtype: "Select", label: __("From"), options, default: options[1].value },
				{ fieldname: "column", fieldtype: "Column Break" },
				{ fieldname: "to_version", fieldtype: "Select", label: __("To"), options, default: options[0].value },
				{ fieldname: "column_2", fieldtype: "Column Break" },
				{
					fieldname: "changes_only",
					fieldtype: "Check",
					label: __("Changes only"),
					default: length > 1500 ? 1 : 0,
					change: () => km_article.apply_changes_only(dialog),
				},
				{ fieldname: "section", fieldtype: "Section Break" },
				{ fieldname: "diff", fieldtype: "HTML" },
			],
			primary_action_label: __("Compare"),
			primary_action(values) {
				run(values.from_version, values.to_version);
			},
		});
		dialog.show();
		run(options[1].value, options[0].value);
	},

	// Hide the rows of unchanged fields (the comparison marks them km-diff-same)
	apply_changes_only(dialog) {
		const only = Boolean(dialog.get_value("changes_only"));
		const $diff = dialog.fields_dict.diff.$wrapper;
		$diff.find("tr.km-diff-same").toggle(!only);
		$diff.find(".km-diff-none").remove();
		if (only && !$diff.find("tr.km-diff-changed").length && $diff.find("table.km-diff").length) {
			$diff.append(`<p class="text-muted km-diff-none">${__("The two versions are the same.")}</p>`);
		}
	},

	async restore(frm) {
		const options = await km_article.version_options(frm, false);
		if (!options.length) {
			frappe.msgprint(__("No published version to restore yet."));
			return;
		}
		frappe.prompt(
			[{ fieldname: "version", fieldtype: "Select", label: __("Version"), options, reqd: 1 }],
			(values) => km_article.call(frm, "restore_version", values, __("Restored as a new draft")),
			__("Restore a Version as a New Draft"),
			__("Restore")
		);
	},

	render_history(frm) {
		const wrapper = frm.get_field("history_html").$wrapper;
		const esc = frappe.utils.escape_html;
		frappe.call(KM_API + "get_history", { article: frm.doc.name }).then((r) => {
			const { events, tampered } = r.message;
			if (!events.length) {
				wrapper.html(`<p class="text-muted">${__("No review or publishing history yet.")}</p>`);
				return;
			}
			// The hash chain of the audit trail (audit.verify_chain): intact, or where it breaks
			const chain = tampered.length
				? `<div class="alert alert-danger km-chain-status">${esc(
						__("Audit chain broken at event {0} ({1} of {2} events altered outside the app: {3})", [
							tampered[0],
							tampered.length,
							events.length,
							tampered.join(", "),
						])
				  )}</div>`
				: `<p class="km-chain-status text-success">✓ ${esc(
						__("Audit chain verified: {0} events, unbroken", [events.length])
				  )}</p>`;
			const rows = events
				.map(
					(e) => `<tr>
						<td>${frappe.datetime.str_to_user(e.occurred_on)}</td>
						<td>${__(e.event_type)}</td>
						<td>${esc(e.actor_name || e.actor || "")}</td>
						<td>${e.version || ""}</td>
						<td>${e.review ? `<a href="/app/km-review/${encodeURIComponent(e.review)}">${esc(e.review)}</a>` : ""}</td>
						<td>${esc(e.details || "")}</td>
					</tr>`
				)
				.join("");
			wrapper.html(`${chain}<table class="table table-bordered km-history">
				<thead><tr><th>${__("When")}</th><th>${__("Event")}</th><th>${__("By")}</th>
				<th>${__("Version")}</th><th>${__("Review")}</th><th>${__("Details")}</th></tr></thead>
				<tbody>${rows}</tbody></table>`);
		});
	},
};

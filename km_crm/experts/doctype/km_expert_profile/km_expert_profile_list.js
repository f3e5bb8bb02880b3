// KM Expert Profile list: "Find an Expert" for a free question (who has solved problems like it),
// and "My Profile" (created on first use).

frappe.listview_settings["KM Expert Profile"] = {
	onload(listview) {
		listview.page.add_inner_button(__("Find an Expert"), () => km_crm_find_expert());
		listview.page.add_inner_button(__("My Profile"), () =>
			frappe
				.xcall("km_crm.api.experts.my_profile")
				.then((name) => frappe.set_route("Form", "KM Expert Profile", name))
		);
	},
};

function km_crm_find_expert() {
	const e = frappe.utils.escape_html;
	const dialog = new frappe.ui.Dialog({
		title: __("Find an Expert"),
		size: "large",
		fields: [
			{
				fieldname: "question",
				fieldtype: "Small Text",
				label: __("Describe the problem"),
				reqd: 1,
			},
			{ fieldname: "results", fieldtype: "HTML" },
		],
		primary_action_label: __("Find"),
		primary_action({ question }) {
			frappe.xcall("km_crm.api.experts.for_question", { question }).then((experts) => {
				const rows = experts.map((x) => {
					const evidence = [...x.tickets, ...x.articles]
						.map((t) => `<a href="${encodeURI(t.route)}">${e(t.name)}</a>`)
						.join(", ");
					return `<div class="km-expert-found" style="padding: var(--padding-sm) 0; border-bottom: 1px solid var(--border-color)">
						<div>${frappe.avatar(x.user, "avatar-xs", x.full_name)} <b>${e(x.full_name)}</b>
							<span class="text-muted small"> · ${__("{0} open", [x.open_tickets])}</span></div>
						<div class="text-muted small">${e(x.reason)}</div>
						${evidence ? `<div class="small">${evidence}</div>` : ""}
					</div>`;
				});
				dialog.fields_dict.results.$wrapper.html(
					rows.join("") || `<p class="text-muted">${__("No one has solved a problem like this yet.")}</p>`
				);
			});
		},
	});
	dialog.show();
}

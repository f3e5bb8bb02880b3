// KM Expert Profile: the skills the person's work shows, with the evidence the viewer may open.
// The person (and a manager) may hide a skill from others and from suggestions, not edit it.

frappe.ui.form.on("KM Expert Profile", {
	refresh(frm) {
		if (frm.is_new()) return frm.fields_dict.inferred_html.$wrapper.empty();
		frappe
			.xcall("km_crm.api.experts.profile_skills", { profile: frm.doc.name })
			.then((skills) => render_skills(frm, skills));
	},
});

function render_skills(frm, skills) {
	const e = frappe.utils.escape_html;
	const may_edit = frm.perm[0] && frm.perm[0].write;
	const rows = skills.map((s) => {
		const evidence = s.evidence.map((x) => `<a href="${encodeURI(x.route)}">${e(x.name)}</a>`).join(", ");
		const action = may_edit
			? `<button class="btn btn-xs btn-default" data-key="${e(s.key)}" data-hidden="${s.hidden ? 0 : 1}">
				${s.hidden ? __("Show") : __("Hide")}</button>`
			: "";
		return `<tr class="${s.hidden ? "text-muted" : ""}">
			<td>${e(__(s.kind))}: <b>${e(s.skill)}</b>${s.hidden ? ` <span class="indicator-pill gray">${__("Hidden")}</span>` : ""}</td>
			<td class="text-right">${s.score}</td>
			<td>${__("{0} pieces, last {1}", [s.pieces, frappe.datetime.str_to_user(s.last)])}</td>
			<td class="small">${evidence}</td>
			<td class="text-right">${action}</td>
		</tr>`;
	});
	const $wrapper = frm.fields_dict.inferred_html.$wrapper;
	$wrapper.html(
		rows.length
			? `<table class="table table-bordered small km-inferred-skills"><thead><tr>
				<th>${__("Skill")}</th><th class="text-right">${__("Score")}</th><th>${__("Evidence")}</th>
				<th>${__("Recent")}</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table>`
			: `<p class="text-muted small">${__("No resolved tickets, articles or review votes yet.")}</p>`
	);
	$wrapper.find("button[data-key]").on("click", (ev) => {
		const $b = $(ev.currentTarget);
		frappe
			.xcall("km_crm.api.experts.set_skill_hidden", {
				profile: frm.doc.name,
				skill_key: $b.attr("data-key"),
				hidden: $b.attr("data-hidden"),
			})
			.then(() => frm.reload_doc());
	});
}

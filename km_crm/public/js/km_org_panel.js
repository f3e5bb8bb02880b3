// Customer, Lead, Opportunity and Contact forms: "Who knows them" (the company's people by their
// relationship with the organisation, with the evidence this user may open) and "Knowledge for
// them" (articles that solved their tickets, articles about what they bought). The server decides
// what is shown; this only lays it out in the form's dashboard.

frappe.provide("km_crm.org_panel");

// Frappe CRM's deals and leads too, on their desk forms, when that app is installed
km_crm.org_panel.DOCTYPES = ["Customer", "Lead", "Opportunity", "Contact", "CRM Deal", "CRM Lead"];

km_crm.org_panel.render = function (frm) {
	if (frm.is_new()) return;
	const e = frappe.utils.escape_html;
	const args = { doctype: frm.doctype, name: frm.doc.name };
	const $people = frm.dashboard.add_section(
		`<div class="km-org-people text-muted small">${__("Loading…")}</div>`,
		__("Who knows them"),
		"custom km-org-panel"
	);
	const $articles = frm.dashboard.add_section(
		`<div class="km-org-articles text-muted small">${__("Loading…")}</div>`,
		__("Knowledge for them"),
		"custom km-org-panel"
	);
	frm.dashboard.show();
	frappe.xcall("km_crm.api.customers.who_knows", args).then((people) => {
		const rows = people.map((p) => {
			const evidence = p.evidence
				.map((x) => `<a href="${encodeURI(x.route)}" title="${e(__(x.doctype))} ${e(x.name)}">${e(x.label)}</a>`)
				.join(", ");
			const knows = p.knows.length ? __("knows {0}", [p.knows.map(e).join(", ")]) : "";
			return `<div class="km-org-person" style="margin-bottom: var(--margin-sm)">
				<div>${frappe.avatar(p.user, "avatar-xs", p.full_name)} <b>${e(p.full_name)}</b>
					${knows ? `<span class="text-muted"> · ${knows}</span>` : ""}</div>
				<div class="text-muted small">${e(p.reason)}${p.conversation ? " · " + __("emails both ways") : ""}${
					p.last ? " · " + __("last in touch {0}", [frappe.datetime.str_to_user(p.last)]) : ""
				}</div>
				${evidence ? `<div class="small">${evidence}</div>` : ""}
			</div>`;
		});
		$people.html(
			rows.join("") ||
				`<div class="text-muted small">${__("No one in the company has been in touch with them yet.")}</div>`
		);
	});
	frappe.xcall("km_crm.api.customers.knowledge", args).then((articles) => {
		const rows = articles.map(
			(a) => `<div class="km-org-article" style="margin-bottom: var(--margin-xs)">
				<a href="${encodeURI(a.route)}">${e(a.title || a.name)}</a>
				<span class="text-muted small"> · ${e(a.reason)}</span>
			</div>`
		);
		$articles.html(
			rows.join("") ||
				`<div class="text-muted small">${__("No article is linked to their tickets or about what they bought yet.")}</div>`
		);
	});
};

km_crm.org_panel.DOCTYPES.forEach((doctype) =>
	frappe.ui.form.on(doctype, { refresh: (frm) => km_crm.org_panel.render(frm) })
);

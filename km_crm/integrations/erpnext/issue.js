// ERPNext Issue: the knowledge panel (km_crm/public/js/km_ticket_panel.js) in the Knowledge section.
frappe.ui.form.on("Issue", {
	refresh(frm) {
		km_crm.ticket_panel.setup(frm);
	},
	subject(frm) {
		km_crm.ticket_panel.changed(frm);
	},
	description(frm) {
		km_crm.ticket_panel.changed(frm);
	},
});

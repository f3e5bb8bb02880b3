// Helpdesk's HD Ticket in the desk (/app/hd-ticket): the same knowledge panel as ERPNext's Issue.
// The agent UI (/helpdesk) gets it from the HD Form Script in agent_panel.js.
frappe.ui.form.on("HD Ticket", {
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

// Helpdesk's HD Ticket in the desk (/app/hd-ticket): the same knowledge panel as ERPNext's Issue.
// The agent UI (/helpdesk) gets it from the HD Form Script in agent_panel.js.
frappe.ui.form.on("HD Ticket", km_crm.ticket_panel.form_events);

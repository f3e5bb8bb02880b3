// ERPNext Issue: the knowledge panel (km_crm/public/js/km_ticket_panel.js) in the Knowledge section.
frappe.ui.form.on("Issue", km_crm.ticket_panel.form_events);

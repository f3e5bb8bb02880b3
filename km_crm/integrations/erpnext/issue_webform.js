// km_crm: suggestions on ERPNext's portal issue form (/issues/new), included by the
// webform_include_js hook. The widget is km_crm/public/js/km_deflection.js.
frappe.ready(() => {
	const form = frappe.web_form;
	if (!form || !frappe.web_form_doc || frappe.web_form_doc.is_list || !frappe.web_form_doc.is_new) return;
	const script = document.createElement("script");
	script.src = "/assets/km_crm/js/km_deflection.js";
	script.onload = () => {
		const widget = window.kmDeflection.attach({
			channel: "ERPNext Portal",
			read: () => ({ subject: form.get_value("subject"), description: form.get_value("description") }),
			place: (box) => {
				const subject = form.fields_dict.subject;
				if (subject) subject.$wrapper.get(0).after(box);
			},
		});
		form.events.on("after_save", () => widget.stop());
	};
	document.head.appendChild(script);
});

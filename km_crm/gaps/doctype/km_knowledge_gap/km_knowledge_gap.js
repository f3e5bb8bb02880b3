frappe.ui.form.on("KM Knowledge Gap", {
	refresh(frm) {
		if (frm.doc.status !== "Open") return;
		if (!frm.doc.article) {
			frm.add_custom_button(__("Write the Article"), () =>
				frappe
					.xcall("km_crm.api.gaps.write_article", { gap: frm.doc.name })
					.then((article) => frappe.set_route("Form", "KM Article", article))
			);
		}
		frm.add_custom_button(__("Dismiss"), () =>
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Why does this need no article?"), reqd: 1 },
				(values) =>
					frappe
						.xcall("km_crm.api.gaps.dismiss", { gap: frm.doc.name, reason: values.reason })
						.then(() => frm.reload_doc()),
				__("Dismiss Knowledge Gap"),
				__("Dismiss")
			)
		);
	},
});

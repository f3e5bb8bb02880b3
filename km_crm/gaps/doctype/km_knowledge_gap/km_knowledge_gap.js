frappe.ui.form.on("KM Knowledge Gap", {
	refresh(frm) {
		if (frm.doc.status !== "Open") return;
		if (!frm.doc.article) {
			frm.add_custom_button(__("Write the Article"), () =>
				frm.call("write_article").then((r) => r.message && frappe.set_route("Form", "KM Article", r.message))
			);
		}
		frm.add_custom_button(__("Dismiss"), () =>
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Why does this need no article?"), reqd: 1 },
				(values) => frm.call("dismiss", { reason: values.reason }).then(() => frm.reload_doc()),
				__("Dismiss Knowledge Gap"),
				__("Dismiss")
			)
		);
	},
});

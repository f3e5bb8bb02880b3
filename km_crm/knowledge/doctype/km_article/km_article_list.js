frappe.listview_settings["KM Article"] = {
	add_fields: ["status", "published_version", "audience"],
	get_indicator(doc) {
		const colors = {
			Draft: "red",
			"In Review": "orange",
			Published: "green",
			"Needs Review": "yellow",
			Archived: "gray",
		};
		let label = __(doc.status);
		if (doc.published_version && ["Draft", "In Review"].includes(doc.status)) {
			label = __("{0} (a version is live)", [__(doc.status)]);
		}
		return [label, colors[doc.status] || "gray", "status,=," + doc.status];
	},
};

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
		if (doc.published_version && doc.status === "Draft") {
			return [__("Live · draft"), "blue", "status,=,Draft"];
		}
		if (doc.published_version && doc.status === "In Review") {
			return [__("Live · in review"), "orange", "status,=,In Review"];
		}
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};

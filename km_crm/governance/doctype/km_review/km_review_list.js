frappe.listview_settings["KM Review"] = {
	add_fields: ["status", "deadline"],
	get_indicator(doc) {
		const colors = {
			Open: "orange",
			Approved: "green",
			"Changes Requested": "yellow",
			Rejected: "red",
			Expired: "purple",
			Cancelled: "gray",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};

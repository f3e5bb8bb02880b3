"""KM ROI Settings saved before handling time could be measured keep their given hours."""

import frappe


def execute():
	if not frappe.db.get_single_value("KM ROI Settings", "handling_time_source"):
		frappe.db.set_single_value("KM ROI Settings", "handling_time_source", "Given")

"""The partner role moved from KM Search Settings to KM Settings (it decides REST reads too)."""

import frappe


def execute():
	singles = frappe.qb.DocType("Singles")
	value = (
		frappe.qb.from_(singles)
		.select(singles.value)
		.where((singles.doctype == "KM Search Settings") & (singles.field == "partner_role"))
		.run(pluck=True)
	)
	if value and value[0] and not frappe.db.get_single_value("KM Settings", "partner_role"):
		frappe.db.set_single_value("KM Settings", "partner_role", value[0])

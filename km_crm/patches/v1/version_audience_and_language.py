"""Article versions record their audience and language (read permissions use the live version's own)."""

import json

import frappe


def execute():
	for row in frappe.get_all(
		"KM Article Version", filters={"audience": ("is", "not set")}, fields=["name", "snapshot"]
	):
		snapshot = json.loads(row.snapshot or "{}")
		frappe.db.set_value(
			"KM Article Version",
			row.name,
			{
				"audience": snapshot.get("audience") or "Internal",
				"language": snapshot.get("language") or "en",
			},
			update_modified=False,
		)

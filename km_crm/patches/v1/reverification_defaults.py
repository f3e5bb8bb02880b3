"""Re-verification settings are new: upgraded sites start with what new installs get (every trigger on,
with its default thresholds)."""

import frappe

SECTION_FIELDS = (
	"reverify_reopened_tickets",
	"reopened_tickets_needed",
	"reopened_tickets_days",
	"reverify_links_stop",
	"links_stop_days",
	"links_stop_category_tickets",
	"reverify_not_solved",
	"not_solved_percent",
	"not_solved_min_readers",
	"reverify_item_variant",
	"reverify_item_disabled",
	"reverify_item_description",
)


def execute():
	stored = frappe.db.get_singles_dict("KM Settings")
	if not stored:
		return  # settings never saved: every field reads its default
	meta = frappe.get_meta("KM Settings")
	for field in SECTION_FIELDS:
		df = meta.get_field(field)
		if df and df.default is not None and field not in stored:
			frappe.db.set_single_value("KM Settings", field, df.default)

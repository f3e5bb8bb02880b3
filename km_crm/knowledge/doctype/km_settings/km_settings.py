import frappe
from frappe import _
from frappe.model.document import Document

from km_crm.knowledge import redact


class KMSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from km_crm.knowledge.doctype.km_reader_role.km_reader_role import KMReaderRole
		from km_crm.knowledge.doctype.km_redaction_pattern.km_redaction_pattern import KMRedactionPattern

		deflection_window_minutes: DF.Int
		feedback_review_threshold: DF.Int
		index_resolved_tickets: DF.Check
		links_stop_category_tickets: DF.Int
		links_stop_days: DF.Int
		not_solved_min_readers: DF.Int
		not_solved_percent: DF.Percent
		partner_role: DF.Link | None
		reader_roles: DF.TableMultiSelect[KMReaderRole]
		redaction_patterns: DF.Table[KMRedactionPattern]
		reopened_tickets_days: DF.Int
		reopened_tickets_needed: DF.Int
		reverify_item_description: DF.Check
		reverify_item_disabled: DF.Check
		reverify_item_variant: DF.Check
		reverify_links_stop: DF.Check
		reverify_not_solved: DF.Check
		reverify_reopened_tickets: DF.Check
		route_to_experts: DF.Check
		route_when: DF.Literal["Every ticket nobody took", "Only when no article matches the ticket"]
		suggest_in_tickets: DF.Check
		suggest_on_ticket_forms: DF.Check

	# end: auto-generated types
	def validate(self):
		self.check_redaction_patterns()

	def check_redaction_patterns(self):
		for row in self.redaction_patterns:
			problem = redact.validate_pattern(row.pattern or "", row.label or "")
			if problem:
				frappe.throw(
					_("Row {0} ({1}): {2}").format(
						row.idx, row.label, _(problem.message).format(error=problem.error)
					),
					title=_("Pattern not saved"),
				)

import frappe
from frappe import _
from frappe.model.document import Document

from km_crm.knowledge import redact


class KMSettings(Document):
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

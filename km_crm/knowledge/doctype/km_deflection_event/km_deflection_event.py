import frappe
from frappe import _
from frappe.model.document import Document

from km_crm.exceptions import ImmutableRecordError


class KMDeflectionEvent(Document):
	"""Recorded by km_crm.knowledge.deflection; never typed in or edited."""

	def before_insert(self):
		if not self.flags.km_append:
			frappe.throw(
				_("Deflection is recorded from the ticket forms customers use."), ImmutableRecordError
			)

	def validate(self):
		if not self.is_new():
			frappe.throw(_("A deflection record cannot be edited."), ImmutableRecordError)

import frappe
from frappe import _
from frappe.model.document import Document

from km_crm.exceptions import ImmutableRecordError


class KMReview(Document):
	def on_trash(self):
		frappe.throw(
			_("Review {0} is part of the knowledge audit trail and cannot be deleted.").format(self.name),
			ImmutableRecordError,
		)

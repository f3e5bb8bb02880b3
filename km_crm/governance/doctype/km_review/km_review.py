import frappe
from frappe import _
from frappe.model.document import Document

from km_crm.exceptions import ImmutableRecordError


class KMReview(Document):
	def validate(self):
		"""A round changes only through voting, its deadline or a withdrawal (review_round.py)."""
		if not self.is_new() and not self.flags.km_round:
			frappe.throw(
				_("Review {0} changes only through votes; it cannot be edited.").format(self.name),
				ImmutableRecordError,
			)

	def on_trash(self):
		frappe.throw(
			_("Review {0} is part of the knowledge audit trail and cannot be deleted.").format(self.name),
			ImmutableRecordError,
		)

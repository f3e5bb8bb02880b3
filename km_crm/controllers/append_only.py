"""Shared guard for records that are written once and never changed: votes, versions, audit events.

They are created only by the service that casts, freezes or records them (which sets
`flags.km_append`), never through REST or a form, whoever asks, Administrator included.
"""

import frappe
from frappe import _

from km_crm.exceptions import ImmutableRecordError


class ImmutableDocument:
	"""Mixin for a controller whose documents can be inserted but never edited or deleted."""

	def before_insert(self):
		if not self.flags.km_append:
			frappe.throw(
				_("{0} records are created only by the knowledge governance actions.").format(
					_(self.doctype)
				),
				ImmutableRecordError,
			)

	def validate(self):
		if not self.is_new():
			frappe.throw(
				_("{0} {1} is part of the knowledge audit trail and cannot be changed.").format(
					_(self.doctype), self.name
				),
				ImmutableRecordError,
			)

	def on_trash(self):
		frappe.throw(
			_("{0} {1} is part of the knowledge audit trail and cannot be deleted.").format(
				_(self.doctype), self.name
			),
			ImmutableRecordError,
		)

	def before_rename(self, old, new, merge=False):
		frappe.throw(_("{0} records cannot be renamed.").format(_(self.doctype)), ImmutableRecordError)

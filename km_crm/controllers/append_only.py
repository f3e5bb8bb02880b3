"""One guard for the records only km_crm's services write: votes, versions, audit events, ticket links,
readers' feedback and deflection records.

A service creates them with `flags.km_append` set; nobody creates one through REST or a form, whoever
asks (Administrator included), and nobody edits one. A class says, in its own words, where such
records come from, and whether they may be deleted (`deletion`): never (the audit trail), only by
their service (ticket links), or as Frappe's permissions allow (readers' feedback, deflection).
"""

import frappe
from frappe import _

from km_crm.exceptions import ImmutableRecordError

NEVER, BY_SERVICE, AS_PERMITTED = "never", "service", "permitted"


class AppendOnly:
	"""Mixin (before Document) for a controller whose records only a km_crm service writes.

	The messages are untranslated templates ({0}: the doctype, {1}: the record), translated when
	shown; subclasses override them in their own words."""

	MSG_WRITTEN_BY = "{0} records are created only by the knowledge governance actions."
	MSG_NOT_EDITABLE = "{0} {1} is part of the knowledge audit trail and cannot be changed."
	MSG_NOT_DELETABLE = "{0} {1} is part of the knowledge audit trail and cannot be deleted."
	deletion = NEVER

	def before_insert(self):
		if not self.flags.km_append:
			self._refuse(self.MSG_WRITTEN_BY)

	def validate(self):
		if not self.is_new():
			self._refuse(self.MSG_NOT_EDITABLE)

	def on_trash(self):
		if self.deletion == AS_PERMITTED or (self.deletion == BY_SERVICE and self.flags.km_append):
			return
		self._refuse(self.MSG_NOT_DELETABLE if self.deletion == NEVER else self.MSG_WRITTEN_BY)

	def before_rename(self, old, new, merge=False):
		self._refuse(self.MSG_NOT_EDITABLE)

	def _refuse(self, template: str) -> None:
		frappe.throw(_(template).format(_(self.doctype), self.name), ImmutableRecordError)

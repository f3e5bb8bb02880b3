import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class KMProgramCost(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		category: DF.Literal["People", "Tooling", "Training", "Other"]
		company: DF.Link
		currency: DF.Link | None
		description: DF.SmallText | None
		hourly_rate: DF.Currency
		hours: DF.Float
		posting_date: DF.Date

	# end: auto-generated types
	def validate(self):
		self.amount_from_hours()
		if flt(self.amount) < 0 or flt(self.hours) < 0 or flt(self.hourly_rate) < 0:
			frappe.throw(_("A programme cost cannot be negative."))

	def amount_from_hours(self):
		if self.hours and self.hourly_rate:
			self.amount = flt(self.hours) * flt(self.hourly_rate)

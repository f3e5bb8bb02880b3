import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class KMProgramCost(Document):
	def validate(self):
		self.amount_from_hours()
		if flt(self.amount) < 0 or flt(self.hours) < 0 or flt(self.hourly_rate) < 0:
			frappe.throw(_("A programme cost cannot be negative."))

	def amount_from_hours(self):
		if self.hours and self.hourly_rate:
			self.amount = flt(self.hours) * flt(self.hourly_rate)

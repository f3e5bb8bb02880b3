import frappe
from frappe.model.document import Document
from frappe.utils import today

from km_crm.roi import quality


class KMQualityCheck(Document):
	def validate(self):
		self.score = quality.score({c: self.get(c) for c in quality.STANDARD}, [r.met for r in self.criteria])
		if self.status == "Done" and not self.checked_on:
			self.checked_on = today()
		if not self.coach and frappe.session.user != "Administrator":
			self.coach = frappe.session.user

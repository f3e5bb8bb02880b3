import frappe
from frappe import _
from frappe.model.document import Document


class KMROISettings(Document):
	def validate(self):
		for field in ("assisted_ticket_cost", "agent_hourly_cost", "handling_hours", "self_service_cost"):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		if not 0 <= (self.potential_deflection_weight or 0) <= 100:
			frappe.throw(_("Potential deflections count at a share between 0 and 100%."))

import frappe
from frappe import _
from frappe.model.document import Document


class KMROISettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		agent_hourly_cost: DF.Currency
		assisted_ticket_cost: DF.Currency
		company: DF.Link | None
		currency: DF.Link | None
		handling_hours: DF.Float
		handling_time_source: DF.Literal["Given", "Measured from Timesheets"]
		link_sample_size: DF.Int
		potential_deflection_weight: DF.Percent
		quality_sample_size: DF.Int
		self_service_cost: DF.Currency

	# end: auto-generated types
	def validate(self):
		for field in ("assisted_ticket_cost", "agent_hourly_cost", "handling_hours", "self_service_cost"):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		if not 0 <= (self.potential_deflection_weight or 0) <= 100:
			frappe.throw(_("Potential deflections count at a share between 0 and 100%."))

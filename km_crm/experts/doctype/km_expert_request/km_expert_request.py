from frappe.model.document import Document


class KMExpertRequest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		asked_by: DF.Link | None
		asked_on: DF.Datetime | None
		expert: DF.Link
		hours_to_resolution: DF.Float
		note: DF.SmallText | None
		resolved_by_expert: DF.Check
		resolved_on: DF.Datetime | None
		routed: DF.Check
		status: DF.Literal["Asked", "Resolved"]
		ticket: DF.DynamicLink
		ticket_doctype: DF.Link
	# end: auto-generated types
	"""Written by km_crm.experts.requests only (asking, and the ticket's resolution)."""

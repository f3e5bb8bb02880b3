from frappe.model.document import Document


class KMCommitteeAudience(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		audience: DF.Literal["Internal", "Customer", "Partner", "Public"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		requires_approval: DF.Check
	# end: auto-generated types
	pass

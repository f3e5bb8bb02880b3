from frappe.model.document import Document


class KMExpertSkill(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		skill: DF.DynamicLink
		skill_type: DF.Literal["KM Category", "Item Group", "Item"]
	# end: auto-generated types
	pass

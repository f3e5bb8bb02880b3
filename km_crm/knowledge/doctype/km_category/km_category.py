import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet, get_ancestors_of

ROOT_CATEGORY = "All Categories"


class KMCategory(NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category_name: DF.Data
		description: DF.SmallText | None
		is_group: DF.Check
		lft: DF.Int
		old_parent: DF.Link | None
		parent_km_category: DF.Link | None
		rgt: DF.Int
	# end: auto-generated types
	nsm_parent_field = "parent_km_category"

	def validate(self):
		if not self.parent_km_category and self.name != ROOT_CATEGORY and not self.is_new():
			return
		if not self.parent_km_category and self.category_name != ROOT_CATEGORY:
			self.parent_km_category = (
				ROOT_CATEGORY if frappe.db.exists("KM Category", ROOT_CATEGORY) else None
			)

	def on_trash(self):
		if self.name == ROOT_CATEGORY:
			frappe.throw(_("The root category cannot be deleted."))
		super().on_trash()


def category_path(category: str | None) -> list[str]:
	"""Names from the top category (the root excluded) down to `category`."""
	if not category:
		return []
	ancestors = [a for a in reversed(get_ancestors_of("KM Category", category)) if a != ROOT_CATEGORY]
	return [*ancestors, category]

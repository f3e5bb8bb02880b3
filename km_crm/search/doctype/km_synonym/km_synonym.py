import frappe
from frappe import _
from frappe.model.document import Document

from km_crm.knowledge import article_shape
from km_crm.search.engines import clear_synonym_cache


class KMSynonym(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		enabled: DF.Check
		terms: DF.SmallText

	# end: auto-generated types
	def validate(self):
		terms = article_shape.normalize_tags(self.terms)
		if len(terms) < 2:
			frappe.throw(_("A synonym needs at least two terms separated by commas."))
		self.terms = ", ".join(terms)

	def on_update(self):
		clear_synonym_cache()

	def on_trash(self):
		clear_synonym_cache()

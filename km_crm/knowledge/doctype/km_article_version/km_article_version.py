from frappe.model.document import Document

from km_crm.controllers.append_only import AppendOnly


class KMArticleVersion(AppendOnly, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		article: DF.Link
		audience: DF.Literal["Internal", "Customer", "Partner", "Public"]
		author: DF.Link | None
		content_hash: DF.Data | None
		language: DF.Literal["en", "zh"]
		published_by: DF.Link | None
		published_on: DF.Datetime | None
		review: DF.Link | None
		snapshot: DF.Code | None
		title: DF.Data | None
		version: DF.Int

	# end: auto-generated types
	def autoname(self):
		self.name = f"{self.article}-v{self.version}"

from frappe.model.document import Document

from km_crm.controllers.append_only import ImmutableDocument


class KMArticleVersion(ImmutableDocument, Document):
	def autoname(self):
		self.name = f"{self.article}-v{self.version}"

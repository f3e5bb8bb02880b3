from frappe.model.document import Document

from km_crm.governance.immutable import ImmutableDocument


class KMArticleVersion(ImmutableDocument, Document):
	def autoname(self):
		self.name = f"{self.article}-v{self.version}"

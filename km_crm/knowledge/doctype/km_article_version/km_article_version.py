from frappe.model.document import Document

from km_crm.controllers.append_only import AppendOnly


class KMArticleVersion(AppendOnly, Document):
	def autoname(self):
		self.name = f"{self.article}-v{self.version}"

import frappe
from frappe import _
from frappe.model.document import Document


class KMSearchSettings(Document):
	def validate(self):
		if self.backend == "elasticsearch" and not (self.es_url or "").startswith(("http://", "https://")):
			frappe.throw(_("The Elasticsearch URL must start with http:// or https://"))

	def on_update(self):
		if (
			self.has_value_changed("backend")
			or self.has_value_changed("es_url")
			or self.has_value_changed("index_prefix")
		):
			from km_crm.search.indexer import enqueue_rebuild

			enqueue_rebuild()

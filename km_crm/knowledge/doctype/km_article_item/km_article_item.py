from frappe.model.document import Document


class KMArticleItem(Document):
	pass

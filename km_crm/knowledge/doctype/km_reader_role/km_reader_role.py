from frappe.model.document import Document


class KMReaderRole(Document):
	pass

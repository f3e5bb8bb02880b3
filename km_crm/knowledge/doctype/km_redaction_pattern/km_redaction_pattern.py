from frappe.model.document import Document


class KMRedactionPattern(Document):
	pass

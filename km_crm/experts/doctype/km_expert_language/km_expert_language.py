from frappe.model.document import Document


class KMExpertLanguage(Document):
	pass

from frappe.model.document import Document


class KMSearchLog(Document):
	pass

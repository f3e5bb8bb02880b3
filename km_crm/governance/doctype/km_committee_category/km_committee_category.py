from frappe.model.document import Document


class KMCommitteeCategory(Document):
	pass

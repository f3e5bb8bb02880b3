from frappe.model.document import Document


class KMCommitteeAudience(Document):
	pass

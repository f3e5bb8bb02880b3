from frappe.model.document import Document


class KMCommitteeMember(Document):
	pass

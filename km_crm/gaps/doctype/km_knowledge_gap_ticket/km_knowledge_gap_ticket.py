from frappe.model.document import Document


class KMKnowledgeGapTicket(Document):
	pass

from frappe.model.document import Document


class KMQualityCriterion(Document):
	pass

from frappe.model.document import Document


class KMExpertSkill(Document):
	pass

from frappe.model.document import Document


class KMExpertHiddenSkill(Document):
	pass

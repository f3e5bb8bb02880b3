from frappe.model.document import Document


class KMExpertRequest(Document):
	"""Written by km_crm.experts.requests only (asking, and the ticket's resolution)."""

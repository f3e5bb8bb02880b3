from frappe.model.document import Document

from km_crm.controllers.append_only import AS_PERMITTED, AppendOnly


class KMDeflectionSession(AppendOnly, Document):
	"""Kept by km_crm.knowledge.deflection from what the customer does on a ticket form; never typed in."""

	MSG_WRITTEN_BY = "Deflection is recorded from the ticket forms customers use."
	MSG_NOT_EDITABLE = "A deflection record cannot be edited."
	deletion = AS_PERMITTED

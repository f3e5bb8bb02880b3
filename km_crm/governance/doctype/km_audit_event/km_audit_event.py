from frappe.model.document import Document

from km_crm.controllers.append_only import ImmutableDocument


class KMAuditEvent(ImmutableDocument, Document):
	pass

from frappe.model.document import Document

from km_crm.governance.immutable import ImmutableDocument


class KMAuditEvent(ImmutableDocument, Document):
	pass

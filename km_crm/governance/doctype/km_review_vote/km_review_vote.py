from frappe.model.document import Document

from km_crm.governance.immutable import ImmutableDocument


class KMReviewVote(ImmutableDocument, Document):
	pass

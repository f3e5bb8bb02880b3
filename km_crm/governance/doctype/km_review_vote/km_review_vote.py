from frappe.model.document import Document

from km_crm.controllers.append_only import ImmutableDocument


class KMReviewVote(ImmutableDocument, Document):
	pass

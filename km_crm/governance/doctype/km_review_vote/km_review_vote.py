from frappe.model.document import Document

from km_crm.controllers.append_only import AppendOnly


class KMReviewVote(AppendOnly, Document):
	pass

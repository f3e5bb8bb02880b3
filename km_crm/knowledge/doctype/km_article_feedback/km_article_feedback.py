from frappe.model.document import Document

from km_crm.controllers.append_only import AS_PERMITTED, AppendOnly


class KMArticleFeedback(AppendOnly, Document):
	"""Created only by km_crm.knowledge.article_feedback (the article page's "Did this help?")."""

	MSG_WRITTEN_BY = "Feedback is given on the article's page."
	MSG_NOT_EDITABLE = "A reader's feedback cannot be edited."
	deletion = AS_PERMITTED

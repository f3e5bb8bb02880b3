from frappe.model.document import Document

from km_crm.controllers.append_only import BY_SERVICE, AppendOnly


class KMArticleLink(AppendOnly, Document):
	"""Created and removed only by km_crm.knowledge.article_links (the ticket panel's actions)."""

	MSG_WRITTEN_BY = "Links between articles and tickets are made from the ticket's knowledge panel."
	MSG_NOT_EDITABLE = "A link between an article and a ticket cannot be edited."
	deletion = BY_SERVICE

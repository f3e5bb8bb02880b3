from frappe.model.document import Document

from km_crm.controllers.append_only import BY_SERVICE, AppendOnly


class KMArticleLink(AppendOnly, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		article: DF.Link
		article_owner: DF.Link | None
		article_title: DF.Data | None
		article_version: DF.Link | None
		first_reuse: DF.Check
		link_key: DF.Data | None
		link_type: DF.Literal["Solved", "Referenced", "Created From"]
		linked_by: DF.Link | None
		linked_on: DF.Datetime | None
		ticket: DF.DynamicLink
		ticket_doctype: DF.Link
	# end: auto-generated types
	"""Created and removed only by km_crm.knowledge.article_links (the ticket panel's actions)."""

	MSG_WRITTEN_BY = "Links between articles and tickets are made from the ticket's knowledge panel."
	MSG_NOT_EDITABLE = "A link between an article and a ticket cannot be edited."
	deletion = BY_SERVICE

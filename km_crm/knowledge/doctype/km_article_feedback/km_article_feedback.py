from frappe.model.document import Document

from km_crm.controllers.append_only import AS_PERMITTED, AppendOnly


class KMArticleFeedback(AppendOnly, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		article: DF.Link
		article_owner: DF.Link | None
		article_version: DF.Link | None
		channel: DF.Data | None
		comment: DF.SmallText | None
		feedback_key: DF.Data | None
		helpful: DF.Check
		reason: DF.Literal["", "Outdated", "Incorrect", "Unclear", "Did not solve my problem"]
		user: DF.Link | None
	# end: auto-generated types
	"""Created only by km_crm.knowledge.article_feedback (the article page's "Did this help?")."""

	MSG_WRITTEN_BY = "Feedback is given on the article's page."
	MSG_NOT_EDITABLE = "A reader's feedback cannot be edited."
	deletion = AS_PERMITTED

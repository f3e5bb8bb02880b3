from frappe.model.document import Document

from km_crm.controllers.append_only import AS_PERMITTED, AppendOnly


class KMDeflectionEvent(AppendOnly, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		article: DF.Link | None
		article_version: DF.Link | None
		articles: DF.SmallText | None
		channel: DF.Literal["ERPNext Portal", "Helpdesk Portal"]
		event: DF.Literal["Shown", "Opened", "Solved", "Submitted"]
		occurred_on: DF.Datetime | None
		session: DF.Link
		ticket: DF.DynamicLink | None
		ticket_doctype: DF.Link | None
	# end: auto-generated types
	"""Recorded by km_crm.knowledge.deflection; never typed in or edited."""

	MSG_WRITTEN_BY = "Deflection is recorded from the ticket forms customers use."
	MSG_NOT_EDITABLE = "A deflection record cannot be edited."
	deletion = AS_PERMITTED

from frappe.model.document import Document

from km_crm.controllers.append_only import AS_PERMITTED, AppendOnly


class KMDeflectionSession(AppendOnly, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		article_owner: DF.Link | None
		articles_opened: DF.Int
		channel: DF.Literal["ERPNext Portal", "Helpdesk Portal"]
		is_final: DF.Check
		language: DF.Data | None
		last_event_on: DF.Datetime | None
		outcome: DF.Literal[
			"Open", "Deflected", "Potential Deflection", "Ticket Submitted", "No Article Opened"
		]
		query: DF.SmallText | None
		shown_articles: DF.SmallText | None
		solved_article: DF.Link | None
		started_on: DF.Datetime | None
		ticket: DF.DynamicLink | None
		ticket_doctype: DF.Link | None
		user: DF.Link | None
		visitor: DF.Data | None
	# end: auto-generated types
	"""Kept by km_crm.knowledge.deflection from what the customer does on a ticket form; never typed in."""

	MSG_WRITTEN_BY = "Deflection is recorded from the ticket forms customers use."
	MSG_NOT_EDITABLE = "A deflection record cannot be edited."
	deletion = AS_PERMITTED

from frappe.model.document import Document


class KMSearchLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		article: DF.Link | None
		channel: DF.Literal["Desk", "Portal", "Ticket", "API"]
		event: DF.Literal["Search", "Click"]
		language: DF.Data | None
		position: DF.Int
		query: DF.SmallText | None
		query_key: DF.Data | None
		result_count: DF.Int
		search_id: DF.Data | None
		searched_on: DF.Datetime | None
		session_key: DF.Data | None
		top_articles: DF.SmallText | None
		user: DF.Link | None
	# end: auto-generated types
	pass

from frappe.model.document import Document

from km_crm.controllers.append_only import AppendOnly


class KMReviewVote(AppendOnly, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		article: DF.Link | None
		cast_at: DF.Datetime | None
		comment: DF.SmallText | None
		decision: DF.Literal["Approve", "Request Changes", "Reject"]
		review: DF.Link
		review_voter: DF.Data | None
		voter: DF.Link
	# end: auto-generated types
	pass

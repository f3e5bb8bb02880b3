from frappe.model.document import Document

from km_crm.controllers.append_only import AppendOnly


class KMAuditEvent(AppendOnly, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actor: DF.Link | None
		article: DF.Link | None
		data: DF.Code | None
		details: DF.SmallText | None
		event_hash: DF.Data | None
		event_type: DF.Literal[
			"Created",
			"Submitted",
			"Vote",
			"Decision",
			"Published",
			"Restored",
			"Retirement Requested",
			"Retired",
			"Withdrawn",
			"Escalated",
			"Review Due",
			"New Version",
			"Owner Changed",
			"Vote Discarded",
			"Ticket Reopened",
		]
		occurred_on: DF.Datetime | None
		prev_hash: DF.Data | None
		review: DF.Link | None
		version: DF.Int
	# end: auto-generated types
	pass

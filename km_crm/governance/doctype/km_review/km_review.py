import frappe
from frappe import _
from frappe.model.document import Document

from km_crm.exceptions import ImmutableRecordError


class KMReview(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		approvals: DF.Int
		article: DF.Link
		article_title: DF.Data | None
		changes_requested: DF.Int
		committee: DF.Link | None
		deadline: DF.Datetime | None
		decided_on: DF.Datetime | None
		decision_reason: DF.SmallText | None
		eligible_voters: DF.Int
		escalated: DF.Check
		escalated_to: DF.Link | None
		last_reminder_on: DF.Datetime | None
		opened_on: DF.Datetime | None
		pending_voters: DF.SmallText | None
		rejections: DF.Int
		required_approvals: DF.Int
		review_type: DF.Literal["Publish", "Retire"]
		status: DF.Literal["Open", "Approved", "Changes Requested", "Rejected", "Expired", "Cancelled"]
		submission_note: DF.SmallText | None
		submitted_by: DF.Link | None
		version: DF.Int

	# end: auto-generated types
	def validate(self):
		"""A round changes only through voting, its deadline or a withdrawal (review_round.py)."""
		if not self.is_new() and not self.flags.km_round:
			frappe.throw(
				_("Review {0} changes only through votes; it cannot be edited.").format(self.name),
				ImmutableRecordError,
			)

	def on_trash(self):
		frappe.throw(
			_("Review {0} is part of the knowledge audit trail and cannot be deleted.").format(self.name),
			ImmutableRecordError,
		)

import frappe
from frappe.model.document import Document
from frappe.utils import today

from km_crm.roi import quality


class KMQualityCheck(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from km_crm.roi.doctype.km_quality_criterion.km_quality_criterion import KMQualityCriterion

		article: DF.Link
		article_version: DF.Link
		checked_on: DF.Date | None
		coach: DF.Link | None
		contributor: DF.Link | None
		criteria: DF.Table[KMQualityCriterion]
		environment_complete: DF.Check
		no_personal_data: DF.Check
		notes: DF.SmallText | None
		resolution_testable: DF.Check
		sample_month: DF.Data | None
		score: DF.Percent
		status: DF.Literal["To Do", "Done"]
		title_in_customer_words: DF.Check

	# end: auto-generated types
	def validate(self):
		self.score = quality.score({c: self.get(c) for c in quality.STANDARD}, [r.met for r in self.criteria])
		if self.status == "Done" and not self.checked_on:
			self.checked_on = today()
		if not self.coach and frappe.session.user != "Administrator":
			self.coach = frappe.session.user

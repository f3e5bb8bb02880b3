import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.model.document import Document
from frappe.utils import today

from km_crm import constants as C

#: what the monthly sample wrote: the link checked, never edited afterwards
SAMPLED = (
	"article",
	"article_version",
	"link_type",
	"ticket_doctype",
	"ticket",
	"article_link",
	"agent",
	"linked_on",
	"sample_month",
)


class KMLinkCheck(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		agent: DF.Link | None
		article: DF.Link
		article_link: DF.Data | None
		article_version: DF.Link | None
		checked_on: DF.Date | None
		coach: DF.Link | None
		link_type: DF.Data | None
		linked_on: DF.Datetime | None
		note: DF.SmallText | None
		sample_month: DF.Data | None
		status: DF.Literal["To Do", "Done"]
		ticket: DF.Data | None
		ticket_doctype: DF.Link | None
		verdict: DF.Literal["", "Right Article", "Wrong Article"]
	# end: auto-generated types
	"""Created by the monthly sample (km_crm.roi.link_sampling); the coach gives the verdict."""

	def validate(self):
		before = self.get_doc_before_save()
		if before:
			for field in SAMPLED:
				if self.get(field) != before.get(field):
					frappe.throw(_("The sampled ticket link of a link check cannot be changed."))
		if self.verdict and self.verdict not in C.LINK_VERDICTS:
			frappe.throw(_("A link is right or wrong."))
		if self.verdict:
			self.status = "Done"
		elif self.status == "Done":
			frappe.throw(_("Mark the link right or wrong before you set the check to Done."))
		if self.status == "Done" and not self.checked_on:
			self.checked_on = today()
		if self.status != "Done":
			self.checked_on = None
		if not self.coach and frappe.session.user != C.ADMINISTRATOR:
			self.coach = frappe.session.user

	def on_update(self):
		if self.status == "Done":
			assign_to.close_all_assignments(self.doctype, self.name, ignore_permissions=True)

import frappe
from frappe import _
from frappe.model.document import Document

from km_crm.exceptions import ImmutableRecordError


class KMArticleFeedback(Document):
	"""Created only by km_crm.knowledge.article_feedback (the article page's "Did this help?")."""

	def before_insert(self):
		if not self.flags.km_append:
			frappe.throw(_("Feedback is given on the article's page."), ImmutableRecordError)

	def validate(self):
		if not self.is_new():
			frappe.throw(_("A reader's feedback cannot be edited."), ImmutableRecordError)

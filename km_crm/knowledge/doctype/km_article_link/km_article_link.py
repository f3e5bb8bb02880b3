import frappe
from frappe import _
from frappe.model.document import Document

from km_crm.exceptions import ImmutableRecordError


class KMArticleLink(Document):
	"""Created and removed only by km_crm.knowledge.article_links (the ticket panel's actions)."""

	def before_insert(self):
		self._only_through_the_service()

	def validate(self):
		if not self.is_new():
			frappe.throw(_("A link between an article and a ticket cannot be edited."), ImmutableRecordError)

	def on_trash(self):
		self._only_through_the_service()

	def _only_through_the_service(self):
		if not self.flags.km_append:
			frappe.throw(
				_("Links between articles and tickets are made from the ticket's knowledge panel."),
				ImmutableRecordError,
			)

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.model.document import Document
from frappe.utils import now_datetime

from km_crm import constants as C
from km_crm.knowledge import lifecycle


class KMKnowledgeGap(Document):
	def validate(self):
		self.close_when_article_is_live()

	def close_when_article_is_live(self):
		"""A coach (or the author) links the article written for the gap: the gap closes once it is live."""
		if self.status != "Open" or not self.article:
			return
		status, version = frappe.db.get_value("KM Article", self.article, ["status", "published_version"])
		if lifecycle.is_live(status, bool(version)):
			self._set_closed("Article Published", self.article)

	def close(self, reason: str, article: str | None = None) -> None:
		"""Close the gap (the job: an article now covers its tickets)."""
		if self.status == "Closed":
			return
		self._set_closed(reason, article or self.article)
		self.flags.ignore_permissions = True
		self.save()

	def _set_closed(self, reason: str, article: str | None) -> None:
		self.status = "Closed"
		self.closed_reason = reason
		self.closed_on = now_datetime()
		if article:
			self.article = article
		self.flags.close_assignments = True

	def on_update(self):
		if self.flags.close_assignments:
			assign_to.close_all_assignments(self.doctype, self.name, ignore_permissions=True)

	def write_article(self) -> str:
		"""A draft article for the gap (its title and most common resolution), owned by the caller and
		linked here: the gap closes when it is published."""
		self.check_permission("write")
		if not C.SUBMIT_ROLES & set(frappe.get_roles()):
			frappe.throw(_("You need a knowledge role to write articles."), frappe.PermissionError)
		if self.article:
			return self.article
		subjects = "".join(f"<li>{frappe.utils.escape_html(t.subject)}</li>" for t in self.tickets[:10])
		article = frappe.get_doc(
			{
				"doctype": "KM Article",
				"title": self.title,
				"language": (self.language or "en").split(",")[0].strip() or "en",
				"audience": C.INTERNAL,
				"category": self.category,
				"issue": f"<p>{frappe.utils.escape_html(self.title)}</p><ul>{subjects}</ul>",
				"resolution": self.resolution or "",
				"article_owner": frappe.session.user,
			}
		).insert()
		self.article = article.name
		self.save()
		return article.name

	def dismiss(self, reason: str) -> None:
		"""A coach decides this group needs no article (say why: it stays in the record)."""
		self.check_permission("write")
		if not (reason or "").strip():
			frappe.throw(_("Say why this gap needs no article."), title=_("Reason required"))
		if self.status == "Closed":
			frappe.throw(_("Knowledge gap {0} is already closed.").format(self.name))
		self.dismiss_reason = reason.strip()
		self._set_closed("Dismissed", None)
		self.save()

import frappe
from frappe import _
from frappe.model.document import Document

from km_crm import constants as C
from km_crm.exceptions import KMError, LifecycleError, translated
from km_crm.knowledge import article_links, article_shape, lifecycle, versioning
from km_crm.knowledge.publishing import versioned_dict
from km_crm.knowledge.sanitize import sanitize_html

RICH_FIELDS = ("issue", "environment", "resolution", "cause")
# Set only by the governance actions, never by editing the form or the API
GOVERNED_FIELDS = (
	"status",
	"version",
	"published_version",
	"current_review",
	"committee",
	"last_published_on",
	"published_by",
	"published_review",
)
# Dates the owner may move on a live article without starting a new version
UNVERSIONED_EDITS = ("review_by", "expires_on")


class KMArticle(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from km_crm.knowledge.doctype.km_article_item.km_article_item import KMArticleItem

		article_owner: DF.Link | None
		audience: DF.Literal["Internal", "Customer", "Partner", "Public"]
		category: DF.Link | None
		cause: DF.TextEditor | None
		committee: DF.Link | None
		current_review: DF.Link | None
		environment: DF.TextEditor | None
		expires_on: DF.Date | None
		issue: DF.TextEditor | None
		items: DF.TableMultiSelect[KMArticleItem]
		language: DF.Literal["en", "zh"]
		last_published_on: DF.Datetime | None
		published_by: DF.Link | None
		published_review: DF.Link | None
		published_version: DF.Link | None
		resolution: DF.TextEditor | None
		reuse_count: DF.Int
		review_by: DF.Date | None
		status: DF.Literal["Draft", "In Review", "Published", "Needs Review", "Archived"]
		summary: DF.SmallText | None
		tags: DF.SmallText | None
		title: DF.Data
		translation_of: DF.Link | None
		version: DF.Int

	# end: auto-generated types
	def validate(self):
		self.sanitize_rich_text()
		self.normalize_tags()
		self.check_dates()
		self.check_translation_link()
		self.guard_status()
		self.guard_frozen_states()
		self.start_next_version_when_live_content_changes()
		self.ensure_article_owner()

	def onload(self):
		"""Tell the form what this user may do, so it shows only the actions the server allows."""
		can_write = bool(frappe.has_permission(self.doctype, "write", self))
		self.set_onload("km_can_write", can_write)
		self.set_onload(
			"km_can_withdraw",
			can_write
			and bool(self.current_review)
			and (
				frappe.session.user
				in (self.article_owner, frappe.db.get_value("KM Review", self.current_review, "submitted_by"))
				or bool(C.MANAGER_ROLES & set(frappe.get_roles()))
			),
		)
		self.set_onload("km_published_decision", self.published_decision())

	def published_decision(self) -> dict | None:
		"""The committee decision that published the live version: committee and tally."""
		if not self.published_review:
			return None
		return frappe.db.get_value(
			"KM Review",
			self.published_review,
			["name", "committee", "approvals", "eligible_voters", "required_approvals"],
			as_dict=True,
		)

	def on_update(self):
		before = self.get_doc_before_save()  # search indexing follows by doc_events (hooks.py)
		if before and before.published_version != self.published_version:
			article_links.refresh_titles(self.name)
		if self.flags.km_new_version:
			from km_crm.knowledge import audit

			audit.record(
				"New Version",
				self.name,
				version=self.version,
				details=_("Editing the published article started draft version {0}.").format(self.version),
			)

	def on_trash(self):
		if self.published_version or frappe.db.exists("KM Review", {"article": self.name}):
			frappe.throw(
				_(
					"Article {0} has a review or publishing history and cannot be deleted. Retire it instead."
				).format(self.name),
				KMError,
			)

	# -- validation steps --------------------------------------------------------------------

	def sanitize_rich_text(self):
		for fieldname in RICH_FIELDS:
			value = self.get(fieldname)
			if value:
				self.set(fieldname, sanitize_html(value))

	def normalize_tags(self):
		self.tags = ", ".join(article_shape.normalize_tags(self.tags or ""))

	def check_dates(self):
		try:
			article_shape.validate_dates(self.review_by, self.expires_on)
		except article_shape.KcsError as e:
			frappe.throw(translated(e), KMError)

	def check_translation_link(self):
		if not self.translation_of:
			return
		if self.translation_of == self.name:
			frappe.throw(_("An article cannot be a translation of itself."), KMError)
		original_language = frappe.db.get_value("KM Article", self.translation_of, "language")
		if original_language == self.language:
			frappe.throw(
				_(
					"A translation must be in a different language from the article it translates ({0})."
				).format(original_language),
				KMError,
			)

	def guard_status(self):
		"""Status only changes through the governance actions (submit, vote, publish, retire...)."""
		if self.flags.km_transition:
			return
		if self.is_new():
			self.status = C.DRAFT
			self.version = 1
			self.published_version = None
			return
		before = self.get_doc_before_save()
		if before and any(str(before.get(f) or "") != str(self.get(f) or "") for f in GOVERNED_FIELDS):
			frappe.throw(
				_("The status of an article changes only through Submit for Review, Publish or Retire."),
				LifecycleError,
			)
		if before and (before.article_owner or "") != (self.article_owner or ""):
			frappe.throw(
				_(
					"The owner of an article changes only through Actions > Change Owner, which is recorded in its history."
				),
				LifecycleError,
			)

	def content_changed(self) -> bool:
		before = self.get_doc_before_save()
		if not before:
			return False
		changed = versioning.changed_fields(
			versioning.snapshot(versioned_dict(before)), versioning.snapshot(versioned_dict(self))
		)
		return any(field not in UNVERSIONED_EDITS for field in changed)

	def guard_frozen_states(self):
		if self.is_new() or self.flags.km_transition or not self.content_changed():
			return
		if self.status == C.IN_REVIEW:
			frappe.throw(
				_(
					"Article {0} is in review ({1}): its content is locked until the committee decides. Withdraw the review to edit it."
				).format(self.name, self.current_review or ""),
				LifecycleError,
			)
		if self.status == C.ARCHIVED:
			frappe.throw(
				_("This article is retired. Restore a version as a new draft to edit it."), LifecycleError
			)

	def start_next_version_when_live_content_changes(self):
		"""Editing a published article starts the draft of the next version; the published one stays live."""
		if self.is_new() or self.flags.km_transition:
			return
		if self.status not in (C.PUBLISHED, C.NEEDS_REVIEW) or not self.content_changed():
			return
		self.status = lifecycle.next_status(self.status, lifecycle.ACTION_EDIT)
		self.version = versioning.next_version_number(self.version or 1, published=True)
		self.flags.km_new_version = True

	def ensure_article_owner(self):
		"""A new article belongs to whoever writes it; a KM Manager may write one for someone else."""
		if not self.is_new():
			return
		user = frappe.session.user
		if not self.article_owner:
			self.article_owner = user
		elif self.article_owner != user and not C.MANAGER_ROLES & set(frappe.get_roles(user)):
			frappe.throw(
				_("A new article belongs to its writer; a KM Manager can hand it over later."), KMError
			)

	# -- helpers used by the governance services ------------------------------------------------

	def set_status(self, action: str):
		if not lifecycle.can_transition(self.status, action):
			frappe.throw(
				_("Cannot {0} an article that is {1}.").format(
					_(lifecycle.ACTION_LABELS.get(action, action)), _(self.status)
				),
				LifecycleError,
			)
		self.status = lifecycle.next_status(self.status, action)
		self.flags.km_transition = True

	@property
	def is_live(self) -> bool:
		return lifecycle.is_live(self.status, bool(self.published_version))

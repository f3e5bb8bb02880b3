"""What a committee member reads on a review round: the article under review and, for a new version
of a live article, what changed against the live version (changes only).

Only those who may read both the round and the article's working copy get it (km_crm/permissions/readers.py):
the content under review is a draft, which readers of the live article may not see.
"""

import dataclasses

import frappe
from frappe import _

from km_crm import constants as C
from km_crm.knowledge import publishing, version_files, versioning
from km_crm.knowledge.article_shape import SECTIONS
from km_crm.knowledge.sanitize import sanitize_html
from km_crm.permissions import readers

REVIEW = "KM Review"
VERSION = "KM Article Version"
#: The sections a reviewer reads, in the order of the article form
CONTENT_SECTIONS = (*SECTIONS, ("summary", "Summary"))
#: What the committee compares: the versioned fields, without the scheduling dates (Review By is set
#: when a version is published, and the owner moves both without a new version)
COMPARED_FIELDS = tuple(f for f in versioning.VERSIONED_FIELDS if f not in versioning.DATE_FIELDS)


def for_review(review_name: str) -> dict:
	"""The content of `review_name` for the current user, who must be allowed to read it."""
	review = readable_review(review_name)
	article = frappe.get_doc("KM Article", review.article)
	content, note, baseline, label = _under_review(review, article)
	under_review = (
		version_files.attached_files(version_files.VERSION, label)
		if label
		else version_files.attached_files(version_files.ARTICLE, article.name)
	)
	labels = (baseline or "", label or _("Version {0} under review").format(review.version))
	changes = (
		versioning.compare(
			publishing.version_snapshot(baseline), content, labels=labels, fields=COMPARED_FIELDS
		)
		if baseline
		else []
	)
	changed = [d for d in changes if d.changed]
	return {
		"article": article.name,
		"title": content.get("title") or "",
		"note": note,
		"sections": [
			{"field": field, "label": _(label), "html": _section_html(field, content.get(field))}
			for field, label in CONTENT_SECTIONS
			if versioning.display_text(field, content.get(field) or "").strip()
		],
		"compared_with": baseline,
		"files": _files(under_review, baseline),
		"changed_fields": [_(d.label) for d in changed],
		"changes_html": versioning.render_comparison_html(
			[_translated_label(d) for d in changed], labels=labels, only_changed=True
		)
		if changed
		else "",
	}


def _files(under_review, baseline: str | None) -> list[dict]:
	"""The files of the content under review (name, URL) and, against the live version, which are
	new ("added") and which the live version has that this one drops ("removed")."""
	before = (
		{r.content_hash: r for r in version_files.attached_files(version_files.VERSION, baseline)}
		if baseline
		else {}
	)
	now = {r.content_hash: r for r in under_review}
	rows = [
		{
			"file_name": r.file_name,
			"url": r.file_url,
			"change": "added" if baseline and h not in before else "",
			"change_label": _("New") if baseline and h not in before else "",
		}
		for h, r in now.items()
	]
	rows += [
		{"file_name": r.file_name, "url": r.file_url, "change": "removed", "change_label": _("Removed")}
		for h, r in before.items()
		if h not in now
	]
	return rows


def readable_review(review_name: str):
	"""The round, when the current user may read it and the article's working copy; else refused."""
	if not frappe.db.exists(REVIEW, review_name):
		frappe.throw(_("Review {0} was not found.").format(review_name), frappe.DoesNotExistError)
	review = frappe.get_doc(REVIEW, review_name)
	if not (frappe.has_permission(REVIEW, "read", review) and readers.may_read_working_copy(review.article)):
		frappe.throw(_("You may not read review {0}.").format(review_name), frappe.PermissionError)
	return review


def _under_review(review, article) -> tuple[dict, str, str | None, str | None]:
	"""(snapshot of the content the round is about, a note for the reader, the version to compare
	it with or None, the name of the frozen version it is or None)."""
	working = versioning.snapshot(publishing.versioned_dict(article))
	if review.review_type == C.REVIEW_TYPE_RETIRE:
		live = article.published_version or _version_of(review.name)
		if live:
			return (
				publishing.version_snapshot(live),
				_("The committee decides whether to retire this version."),
				None,
				live,
			)
		return working, "", None, None
	if article.current_review == review.name:
		return working, "", article.published_version, None
	frozen = _version_of(review.name)
	if frozen:
		return (
			publishing.version_snapshot(frozen),
			_("Published as {0}.").format(frozen),
			_previous(frozen),
			frozen,
		)
	return (
		working,
		_("This round is closed and the article may have changed since: this is its current working copy."),
		article.published_version,
		None,
	)


def _version_of(review_name: str) -> str | None:
	"""The version a round published, if it did."""
	return frappe.db.get_value(VERSION, {"review": review_name}, "name")


def _previous(version_name: str) -> str | None:
	row = frappe.db.get_value(VERSION, version_name, ["article", "version"], as_dict=True)
	earlier = frappe.get_all(
		VERSION,
		filters={"article": row.article, "version": ("<", row.version)},
		pluck="name",
		order_by="version desc",
		limit=1,
	)
	return earlier[0] if earlier else None


def _section_html(field: str, value) -> str:
	"""Rich sections as stored (already cleaned by the allow-list on save, cleaned again here);
	the plain summary escaped."""
	if field in versioning.HTML_FIELDS:
		return sanitize_html(value or "")
	return frappe.utils.escape_html(value or "").replace("\n", "<br>")


def _translated_label(diff):
	return dataclasses.replace(diff, label=_(diff.label))

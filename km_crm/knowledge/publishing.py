"""Freezing, restoring and comparing article versions (the Frappe side of versioning.py)."""

import json

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime, today

from km_crm import constants as C
from km_crm.exceptions import KMError
from km_crm.knowledge import audit, lifecycle, version_files, versioning

DEFAULT_REVIEW_INTERVAL_DAYS = 365


def versioned_dict(doc) -> dict:
	"""The article's versioned fields as plain values (items as a list of item codes)."""
	data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
	data["items"] = sorted(row.get("item") for row in (data.get("items") or []) if row.get("item"))
	return data


def publish(article, *, review: str | None = None, note: str = "") -> str:
	"""Freeze the working copy as a version, make it live and record it. Returns the version name."""
	snapshot = versioning.snapshot(versioned_dict(article))
	files = version_files.files_record(version_files.attached_files(version_files.ARTICLE, article.name))
	digest = versioning.content_hash(snapshot, files)
	version_name = _existing_version_with_hash(article, digest) or _freeze(
		article, {**snapshot, "files": files} if files else snapshot, digest, review
	)

	article.set_status(
		lifecycle.ACTION_APPROVE if article.status == C.IN_REVIEW else lifecycle.ACTION_PUBLISH
	)
	article.published_version = version_name
	article.version = frappe.db.get_value("KM Article Version", version_name, "version")
	article.last_published_on = now_datetime()
	# a committee's approval is published by its decision, not by whoever cast the deciding vote
	article.published_review = review
	article.published_by = None if review else frappe.session.user
	article.current_review = None
	if not article.review_by or getdate(article.review_by) <= getdate(today()):
		article.review_by = add_days(today(), DEFAULT_REVIEW_INTERVAL_DAYS)
	article.save(ignore_permissions=True)
	audit.record(
		"Published",
		article.name,
		review=review,
		version=article.version,
		details=note or _("Version {0} is live.").format(article.version),
		data={"version": version_name, "content_hash": digest},
	)
	return version_name


def _existing_version_with_hash(article, digest: str) -> str | None:
	"""A re-validated article whose content did not change keeps its live version."""
	if (
		article.published_version
		and frappe.db.get_value("KM Article Version", article.published_version, "content_hash") == digest
	):
		return article.published_version
	return None


def _freeze(article, snapshot: dict, digest: str, review: str | None) -> str:
	taken = frappe.get_all("KM Article Version", filters={"article": article.name}, pluck="version")
	number = article.version or 1
	if number in taken:
		number = max(taken) + 1
	version = frappe.get_doc(
		{
			"doctype": "KM Article Version",
			"article": article.name,
			"version": number,
			"title": article.title,
			"language": article.language,
			"audience": article.audience,
			"published_on": now_datetime(),
			# a committee's decision (review) publishes, not whoever cast the deciding vote
			"published_by": None if review else frappe.session.user,
			"author": article.article_owner,
			"review": review,
			"content_hash": digest,
			"snapshot": json.dumps(snapshot, sort_keys=True, ensure_ascii=False, indent=1),
		}
	)
	version.flags.km_append = True
	version.insert(ignore_permissions=True)
	version_files.freeze(article.name, version.name, article.audience)
	return version.name


def version_snapshot(version_name: str) -> dict:
	raw = frappe.db.get_value("KM Article Version", version_name, "snapshot")
	if raw is None:
		frappe.throw(_("Version {0} was not found.").format(version_name), frappe.DoesNotExistError)
	return json.loads(raw or "{}")


def restore(article, version_name: str) -> None:
	"""Copy an old version's content into the working copy as a new draft. Every version is kept."""
	if frappe.db.get_value("KM Article Version", version_name, "article") != article.name:
		frappe.throw(
			_("Version {0} does not belong to article {1}.").format(version_name, article.name), KMError
		)
	if article.status == C.IN_REVIEW:
		frappe.throw(
			_("This article is being reviewed. Withdraw it from review before restoring a version."), KMError
		)
	payload = versioning.restore_payload(version_snapshot(version_name))
	for scheduling_field in ("review_by", "expires_on"):  # dates are today's business, not the old version's
		payload.pop(scheduling_field, None)
	working_copy_is_frozen = article.status in (
		C.PUBLISHED,
		C.NEEDS_REVIEW,
		C.ARCHIVED,
	)
	if article.status == C.ARCHIVED:
		article.set_status(lifecycle.ACTION_RESTORE)
	elif working_copy_is_frozen:
		article.set_status(lifecycle.ACTION_EDIT)
	else:
		article.flags.km_transition = True
	article.version = versioning.next_version_number(article.version or 1, published=working_copy_is_frozen)
	items = payload.pop("items", None)
	article.update(payload)
	if items is not None:
		article.set("items", [{"item": code} for code in items if frappe.db.exists("Item", code)])
	article.save()
	version_files.restore(article.name, version_name)
	audit.record(
		"Restored",
		article.name,
		version=article.version,
		details=_("Draft version {0} was restored from {1}.").format(article.version, version_name),
		data={"restored_from": version_name},
	)

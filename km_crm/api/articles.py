"""Whitelisted article actions for the desk: thin wrappers over the governance services."""

import dataclasses

import frappe
from frappe import _

from km_crm.attachments import files
from km_crm.governance import actions, ownership
from km_crm.knowledge import audit, publishing, versioning
from km_crm.permissions import readers


@frappe.whitelist(methods=["POST"])
def submit_for_review(article: str, note: str = "") -> str:
	return actions.submit_for_review(article, note)


@frappe.whitelist(methods=["POST"])
def publish(article: str) -> str:
	return actions.publish_directly(article)


@frappe.whitelist(methods=["POST"])
def withdraw(article: str) -> None:
	actions.withdraw(article)


@frappe.whitelist(methods=["POST"])
def request_retirement(article: str, reason: str) -> str:
	return actions.request_retirement(article, reason)


@frappe.whitelist(methods=["POST"])
def change_owner(article: str, new_owner: str, reason: str = "") -> None:
	ownership.change_owner(article, new_owner, reason)


@frappe.whitelist(methods=["POST"])
def restore_version(article: str, version: str) -> None:
	doc = frappe.get_doc("KM Article", article)
	doc.check_permission("write")
	publishing.restore(doc, version)


@frappe.whitelist()
def compare_versions(article: str, from_version: str, to_version: str) -> str:
	"""HTML comparison of two versions; `to_version` may be "working" for the current draft. Earlier
	versions and drafts are for editors and the author: readers see the live version only."""
	doc = _working_copy(article)
	old = _version_or_working(doc, from_version)
	new = _version_or_working(doc, to_version)
	labels = (_label(from_version), _label(to_version))
	diffs = [dataclasses.replace(d, label=_(d.label)) for d in versioning.compare(old, new, labels=labels)]
	return versioning.render_comparison_html(diffs)


@frappe.whitelist()
def get_versions(article: str) -> list[dict]:
	"""The versions of an article the caller may read: all of them for editors and the author, the
	live one for everyone else."""
	try:
		versions = frappe.get_list(
			"KM Article Version",
			filters={"article": article},
			fields=["name", "version", "title", "published_on", "published_by", "review"],
			order_by="version desc",
		)
	except frappe.PermissionError:
		versions = []  # portal users read articles on the portal, not through the desk's records
	if not versions and not readers.may_read_working_copy(article):
		_not_found(article)
	return versions


@frappe.whitelist()
def get_history(article: str) -> dict:
	"""The article's audit trail (submissions, votes with their comments, decisions): the
	committee's deliberation, for editors and the author only."""
	_working_copy(article)
	events = audit.history(article)
	names = _full_names({e.actor for e in events if e.actor})
	committees = _committees({e.review for e in events if e.review and e.event_type in COMMITTEE_EVENTS})
	for e in events:
		# what a round decided is the committee's act, not that of the member who voted last
		committee = committees.get(e.review) if e.event_type in COMMITTEE_EVENTS else None
		e["actor_name"] = committee or names.get(e.actor) or e.actor
	return {"events": events, "tampered": audit.verify_chain(article)}


#: Events a round's decision causes; the history names the committee as their author
COMMITTEE_EVENTS = ("Decision", "Published", "Retired")


def _committees(reviews: set[str]) -> dict[str, str]:
	if not reviews:
		return {}
	return dict(
		frappe.get_all(
			"KM Review", filters={"name": ("in", sorted(reviews))}, fields=["name", "committee"], as_list=True
		)
	)


def _full_names(users: set[str]) -> dict[str, str]:
	"""{user: full name}: people are named as they are everywhere else in the desk, never by email."""
	if not users:
		return {}
	return dict(
		frappe.get_all(
			"User",
			filters={"name": ("in", sorted(users))},
			fields=["name", "full_name"],
			as_list=True,
		)
	)


def _working_copy(article: str):
	"""The article record, for those who may read it; anyone else is told it does not exist."""
	if not readers.may_read_working_copy(article):
		_not_found(article)
	doc = frappe.get_doc("KM Article", article)
	doc.check_permission("read")
	return doc


def _not_found(article: str) -> None:
	frappe.throw(_("Article {0} was not found.").format(article), frappe.DoesNotExistError)


def _version_or_working(doc, version: str) -> dict:
	if version == "working":
		return versioning.snapshot(publishing.versioned_dict(doc))
	if frappe.db.get_value("KM Article Version", version, "article") != doc.name:
		frappe.throw(_("Version {0} does not belong to article {1}.").format(version, doc.name))
	return publishing.version_snapshot(version)


def _label(version: str) -> str:
	return _("Working copy") if version == "working" else version


@frappe.whitelist()
def file_statuses(article: str) -> list[dict]:
	"""The article's attached files as its form shows them: read or not (and why), searchable or not."""
	if not readers.may_read_working_copy(article):
		raise frappe.PermissionError(_("You may not read this article."))
	return files.file_statuses(article)

"""Whitelisted article actions for the desk: thin wrappers over the governance services."""

import dataclasses

import frappe
from frappe import _

from km_crm.governance import audit, ownership, review_round
from km_crm.knowledge import publishing, versioning


@frappe.whitelist(methods=["POST"])
def submit_for_review(article: str, note: str = "") -> str:
	return review_round.submit_for_review(article, note)


@frappe.whitelist(methods=["POST"])
def publish(article: str) -> str:
	return review_round.publish_directly(article)


@frappe.whitelist(methods=["POST"])
def withdraw(article: str) -> None:
	review_round.withdraw(article)


@frappe.whitelist(methods=["POST"])
def request_retirement(article: str, reason: str) -> str:
	return review_round.request_retirement(article, reason)


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
	"""HTML comparison of two versions; `to_version` may be "working" for the current draft."""
	doc = frappe.get_doc("KM Article", article)
	doc.check_permission("read")
	old = _version_or_working(doc, from_version)
	new = _version_or_working(doc, to_version)
	labels = (_label(from_version), _label(to_version))
	diffs = [dataclasses.replace(d, label=_(d.label)) for d in versioning.compare(old, new, labels=labels)]
	return versioning.render_comparison_html(diffs)


@frappe.whitelist()
def get_versions(article: str) -> list[dict]:
	frappe.get_doc("KM Article", article).check_permission("read")
	return frappe.get_all(
		"KM Article Version",
		filters={"article": article},
		fields=["name", "version", "title", "published_on", "published_by", "review"],
		order_by="version desc",
	)


@frappe.whitelist()
def get_history(article: str) -> dict:
	frappe.get_doc("KM Article", article).check_permission("read")
	return {"events": audit.history(article), "tampered": audit.verify_chain(article)}


def _version_or_working(doc, version: str) -> dict:
	if version == "working":
		return versioning.snapshot(publishing.versioned_dict(doc))
	if frappe.db.get_value("KM Article Version", version, "article") != doc.name:
		frappe.throw(_("Version {0} does not belong to article {1}.").format(version, doc.name))
	return publishing.version_snapshot(version)


def _label(version: str) -> str:
	return _("Working copy") if version == "working" else version

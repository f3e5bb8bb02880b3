"""Handing an article to a new owner: an audited governance action, never an edit of the form.

The owner is excluded from voting on their article's reviews, so the owner never changes while a
round is open (that would add or drop voters mid-round).
"""

import frappe
from frappe import _

from km_crm import constants as C
from km_crm.exceptions import KMError, LifecycleError
from km_crm.knowledge import audit, lifecycle


def change_owner(article_name: str, new_owner: str, reason: str = "") -> None:
	article = frappe.get_doc("KM Article", article_name)
	user = frappe.session.user
	if user != article.article_owner and not C.MANAGER_ROLES & set(frappe.get_roles()):
		frappe.throw(
			_("Only the article's owner or a KM Manager can hand it to someone else."), frappe.PermissionError
		)
	if article.current_review:
		frappe.throw(
			_("Article {0} is in review. Change its owner after the review is decided or withdrawn.").format(
				article.name
			),
			LifecycleError,
		)
	if not frappe.db.get_value("User", {"name": new_owner, "enabled": 1}):
		frappe.throw(_("User {0} was not found.").format(new_owner), frappe.DoesNotExistError)
	if not lifecycle.can_submit(frappe.get_roles(new_owner)):
		frappe.throw(_("{0} has no knowledge role and cannot own articles.").format(new_owner), KMError)
	previous = article.article_owner
	if previous == new_owner:
		return
	article.article_owner = new_owner
	article.flags.km_transition = True
	article.save(ignore_permissions=True)
	audit.record(
		"Owner Changed",
		article.name,
		version=article.version,
		details=reason or "",
		data={"from": previous, "to": new_owner},
	)

"""Whitelisted committee actions."""

import frappe

from km_crm.governance import actions, review_content


@frappe.whitelist(methods=["POST"])
def cast_vote(review: str, decision: str, comment: str = "") -> dict:
	result = actions.cast_vote(review, decision, comment)
	return {"status": result["status"], "reason": result.get("reason")}


@frappe.whitelist()
def get_votes(review: str) -> list[dict]:
	frappe.get_doc("KM Review", review).check_permission("read")
	return frappe.get_all(
		"KM Review Vote",
		filters={"review": review},
		fields=["voter", "decision", "comment", "cast_at"],
		order_by="cast_at asc",
	)


@frappe.whitelist()
def my_vote_status(review: str) -> dict:
	"""Whether the current user may vote on this round, for the form's buttons."""
	doc = frappe.get_doc("KM Review", review)
	doc.check_permission("read")
	article = frappe.get_doc("KM Article", doc.article)
	committee = frappe.get_doc("KM Committee", doc.committee)
	user = frappe.session.user
	voted = frappe.db.exists("KM Review Vote", {"review": review, "voter": user})
	eligible = user in actions._voting_members(committee, doc) and user not in actions._authors(article, doc)
	return {"can_vote": bool(eligible and not voted and doc.status == "Open"), "voted": bool(voted)}


@frappe.whitelist()
def get_review_content(review: str) -> dict:
	"""The article under review and, for a new version of a live article, what changed: for those who
	may read the round and the article's working copy (committee members, editors, the author)."""
	return review_content.for_review(review)

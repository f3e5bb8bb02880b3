"""Committee review rounds: open, vote, decide exactly once, apply the outcome to the article."""

import json

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import add_days, escape_html, get_datetime, now_datetime

from km_crm import constants as C
from km_crm.exceptions import (
	AuthorCannotVote,
	KMError,
	LifecycleError,
	NoCommitteeError,
	NotACommitteeMember,
	NotAllowedToPublish,
	QuorumError,
	VoteError,
	translated,
)
from km_crm.governance import notify, quorum
from km_crm.governance.doctype.km_committee.km_committee import committee_for
from km_crm.knowledge import article_shape, audit, lifecycle, publishing

REVIEW = "KM Review"
VOTE = "KM Review Vote"


# -- opening a round ------------------------------------------------------------------------------


def submit_for_review(article_name: str, note: str = "") -> str:
	article = _locked_article(article_name)
	_require_contributor(article)
	_require_sections(article)
	if article.current_review:
		frappe.throw(_("Article {0} already has an open review.").format(article.name), LifecycleError)
	committee = _committee_or_throw(article)
	review = _open_round(article, committee, C.REVIEW_TYPE_PUBLISH, note)
	article.set_status(lifecycle.ACTION_SUBMIT)
	article.committee = committee.name
	article.current_review = review.name
	article.save(ignore_permissions=True)
	return review.name


def request_retirement(article_name: str, reason: str) -> str:
	article = _locked_article(article_name)
	_require_contributor(article)
	if article.status not in (C.PUBLISHED, C.NEEDS_REVIEW):
		frappe.throw(_("Only a published article can be retired."), LifecycleError)
	if article.current_review:
		frappe.throw(_("Article {0} already has an open review.").format(article.name), LifecycleError)
	if not (reason or "").strip():
		frappe.throw(_("Say why the article should be retired."), KMError)
	committee = _committee_or_throw(article)
	review = _open_round(article, committee, C.REVIEW_TYPE_RETIRE, reason)
	article.flags.km_transition = True
	article.committee = committee.name
	article.current_review = review.name
	article.save(ignore_permissions=True)
	return review.name


def publish_directly(article_name: str) -> str:
	article = _locked_article(article_name)
	_require_contributor(article)
	_require_sections(article)
	committee = committee_for(article.category, article.audience)
	direct = (
		{row.audience for row in committee.audiences if not row.requires_approval}
		if committee
		else lifecycle.DEFAULT_DIRECT_AUDIENCES
	)
	if not lifecycle.can_publish_directly(article.audience, frappe.get_roles(), direct):
		frappe.throw(
			_(
				"{0} articles need committee approval before they are published. Use Submit for Review."
			).format(_(article.audience)),
			NotAllowedToPublish,
		)
	if article.status != C.DRAFT:
		frappe.throw(_("Only a draft can be published directly."), LifecycleError)
	return publishing.publish(article, note=_("Published directly by a KM Publisher."))


def _open_round(article, committee, review_type: str, note: str):
	eligible = eligible_voters(committee, article, frappe.session.user)
	try:
		required = quorum.check_feasible(committee.quorum_rule(), len(eligible))
	except quorum.QuorumRuleError as e:
		frappe.throw(
			_("Committee {0} cannot review this article: {1}").format(committee.name, _(e.message)),
			QuorumError,
		)
	opened = now_datetime()
	review = frappe.get_doc(
		{
			"doctype": REVIEW,
			"article": article.name,
			"review_type": review_type,
			"version": article.version,
			"committee": committee.name,
			"status": C.REVIEW_OPEN,
			"submitted_by": frappe.session.user,
			"opened_on": opened,
			"deadline": add_days(opened, committee.review_window_days or 7),
			"required_approvals": required,
			"eligible_voters": len(eligible),
			"pending_voters": "\n".join(sorted(eligible)),
			"submission_note": note,
		}
	).insert(ignore_permissions=True)
	event = "Submitted" if review_type == C.REVIEW_TYPE_PUBLISH else "Retirement Requested"
	audit.record(
		event,
		article.name,
		review=review.name,
		version=article.version,
		details=note or "",
		data={"committee": committee.name, "required": required, "voters": sorted(eligible)},
	)
	for voter in sorted(eligible):
		assign_to.add(
			{
				"assign_to": [voter],
				"doctype": REVIEW,
				"name": review.name,
				"description": _vote_todo(review_type, article.title),
				"date": review.deadline,
			},
			ignore_permissions=True,
		)
	return review


def _vote_todo(review_type: str, title: str) -> str:
	"""A voter's ToDo leads with the article's title: lists cut descriptions short."""
	if review_type == C.REVIEW_TYPE_RETIRE:
		return _("{0}: vote on retiring this article").format(escape_html(title))
	return _("{0}: vote on publishing this article").format(escape_html(title))


# -- voting ---------------------------------------------------------------------------------------


def cast_vote(review_name: str, decision: str, comment: str = "") -> dict:
	# Lock the round first: concurrent final votes queue here, so the round decides exactly once.
	# Locking reads also see what a concurrent voter committed while we waited for the lock.
	if frappe.db.get_value(REVIEW, review_name, "name", for_update=True) is None:
		frappe.throw(_("Review {0} was not found.").format(review_name), frappe.DoesNotExistError)
	review = frappe.get_doc(REVIEW, review_name, for_update=True)
	article = frappe.get_doc("KM Article", review.article)
	committee = frappe.get_doc("KM Committee", review.committee)
	voter = frappe.session.user

	if voter in _authors(article, review):
		frappe.throw(_("The author of the article cannot vote on its review."), AuthorCannotVote)
	members = _voting_members(committee, review)
	if voter not in members:
		frappe.throw(
			_("Only members of committee {0} can vote on this review.").format(committee.name),
			NotACommitteeMember,
		)
	if decision != quorum.APPROVE and not (comment or "").strip():
		frappe.throw(
			_("Tell the author what should change: a comment is required with this vote."), VoteError
		)
	try:
		quorum.validate_vote(
			voter,
			decision,
			members=members,
			author=article.article_owner,
			existing_votes=_votes(review.name),
			now=now_datetime(),
			deadline=get_datetime(review.deadline),
			round_status=review.status,
		)
	except quorum.VoteRuleError as e:
		frappe.throw(_translate_vote_error(e, review), VoteError)
	_discard_unrecorded_vote(review, voter)

	vote = frappe.get_doc(
		{
			"doctype": VOTE,
			"review": review.name,
			"article": article.name,
			"voter": voter,
			"decision": decision,
			"comment": comment,
			"cast_at": now_datetime(),
			"review_voter": f"{review.name}:{voter}",
		}
	)
	vote.flags.km_append = True
	vote.insert(ignore_permissions=True)
	audit.record(
		"Vote",
		article.name,
		review=review.name,
		version=review.version,
		details=comment or "",
		data={"decision": decision},
	)
	_close_assignment(review.name, voter)
	return evaluate(review, committee, article)


def evaluate(review, committee=None, article=None) -> dict:
	"""Recount a round and, if the rule is met or the deadline passed, close it (once)."""
	article = article or frappe.get_doc("KM Article", review.article)
	committee = committee or frappe.get_doc("KM Committee", review.committee)
	decision = quorum.decide(
		committee.quorum_rule(),
		members=_voting_members(committee, review),
		author=article.article_owner,
		votes=_votes(review.name),
		now=now_datetime(),
		deadline=get_datetime(review.deadline),
	)
	review.update(
		{
			"approvals": decision.approvals,
			"changes_requested": decision.changes,
			"rejections": decision.rejects,
			"required_approvals": decision.required,
			"eligible_voters": decision.eligible,
			"pending_voters": "\n".join(decision.pending),
		}
	)
	if decision.outcome == C.REVIEW_OPEN:
		_save_round(review)
	elif decision.outcome == C.REVIEW_EXPIRED:
		_expire(review, committee, article, decision)
	else:
		_decide(review, article, decision)
	return {
		"status": review.status,
		"reason": review.decision_reason,
		**review.as_dict(no_default_fields=True),
	}


def _decide(review, article, decision) -> None:
	review.status = decision.outcome
	review.decided_on = now_datetime()
	review.decision_reason = translated_reason(decision)
	_save_round(review)
	audit.record(
		"Decision",
		article.name,
		review=review.name,
		version=review.version,
		details=review.decision_reason,
		data={"outcome": decision.outcome, "approvals": decision.approvals, "required": decision.required},
	)
	assign_to.close_all_assignments(REVIEW, review.name, ignore_permissions=True)

	if review.review_type == C.REVIEW_TYPE_RETIRE:
		if decision.outcome == C.REVIEW_APPROVED:
			retire(article, review.name)
		else:
			_clear_current_review(article)
	elif decision.outcome == C.REVIEW_APPROVED:
		publishing.publish(article, review=review.name)
	else:
		article.set_status(lifecycle.action_for_review_outcome(decision.outcome))
		article.current_review = None
		article.save(ignore_permissions=True)
	notify.review_decided(review, article, comments=_comments(review.name))


def _expire(review, committee, article, decision) -> None:
	review.status = C.REVIEW_EXPIRED
	review.decision_reason = translated_reason(decision)
	review.escalated = 1
	review.escalated_to = committee.escalation_user
	_save_round(review)
	audit.record(
		"Escalated",
		article.name,
		review=review.name,
		version=review.version,
		details=review.decision_reason,
		data={"escalated_to": committee.escalation_user},
	)
	if committee.escalation_user:
		assign_to.add(
			{
				"assign_to": [committee.escalation_user],
				"doctype": REVIEW,
				"name": review.name,
				"description": _("{0}: the review passed its deadline without a decision.").format(
					escape_html(article.title)
				),
			},
			ignore_permissions=True,
		)
	notify.review_expired(review, article)


def retire(article, review_name: str | None = None) -> None:
	article.set_status(lifecycle.ACTION_RETIRE)
	article.published_version = None
	article.current_review = None
	article.save(ignore_permissions=True)
	audit.record("Retired", article.name, review=review_name, version=article.version)


def withdraw(article_name: str) -> None:
	article = _locked_article(article_name)
	review_name = article.current_review
	if not review_name:
		frappe.throw(_("Article {0} has no open review.").format(article.name), LifecycleError)
	review = frappe.get_doc(REVIEW, review_name)
	if frappe.session.user not in _authors(article, review) and not C.MANAGER_ROLES & set(frappe.get_roles()):
		frappe.throw(_("Only the author or a KM Manager can withdraw this review."), frappe.PermissionError)
	if review.status not in (C.REVIEW_OPEN, C.REVIEW_EXPIRED):
		frappe.throw(_("This review is already closed."), LifecycleError)
	review.status = C.REVIEW_CANCELLED
	review.decided_on = now_datetime()
	_save_round(review)
	assign_to.close_all_assignments(REVIEW, review.name, ignore_permissions=True)
	audit.record("Withdrawn", article.name, review=review.name, version=review.version)
	if review.review_type == C.REVIEW_TYPE_PUBLISH:
		article.set_status(lifecycle.ACTION_WITHDRAW)
	_clear_current_review(article)


# -- helpers ----------------------------------------------------------------------------------------


def eligible_voters(committee, article, submitter: str) -> frozenset[str]:
	members = [m for m in committee.member_users() if m != submitter]
	return quorum.eligible_voters(members, article.article_owner)


def _voting_members(committee, review) -> list[str]:
	"""Current committee members who are not the submitter (the article owner is excluded by quorum)."""
	return [m for m in committee.member_users() if m != review.submitted_by]


def _authors(article, review) -> set[str]:
	return {u for u in (article.article_owner, review.submitted_by) if u}


def _votes(review_name: str) -> list[quorum.Vote]:
	"""The votes that count: cast by the vote action, which also records each one in the audit trail.
	A row put into the table any other way counts for nothing."""
	table = frappe.qb.DocType(VOTE)
	rows = (
		frappe.qb.from_(table)
		.select(table.voter, table.decision, table.cast_at)
		.where(table.review == review_name)
		.for_update()
		.run(as_dict=True)
	)
	recorded = _recorded_votes(review_name)
	return [
		quorum.Vote(voter=r.voter, decision=r.decision, cast_at=get_datetime(r.cast_at))
		for r in rows
		if r.cast_at and (r.voter, r.decision) in recorded
	]


def _recorded_votes(review_name: str) -> set[tuple[str, str]]:
	"""(voter, decision) of the Vote events of a round in the audit trail."""
	events = frappe.get_all(
		"KM Audit Event", filters={"review": review_name, "event_type": "Vote"}, fields=["actor", "data"]
	)
	return {(e.actor, json.loads(e.data or "{}").get("decision")) for e in events}


def _discard_unrecorded_vote(review, voter: str) -> None:
	"""A row for this voter that the vote action never cast (put in behind the app) would block the
	member's real vote: remove it, and say so in the audit trail."""
	rows = frappe.get_all(VOTE, filters={"review": review.name, "voter": voter}, pluck="decision")
	if not rows:
		return
	frappe.db.delete(VOTE, {"review": review.name, "voter": voter})
	audit.record(
		"Vote Discarded",
		review.article,
		review=review.name,
		version=review.version,
		data={"voter": voter, "decisions": rows},
	)


def _comments(review_name: str) -> list[dict]:
	return frappe.get_all(
		VOTE,
		filters={"review": review_name},
		fields=["voter", "decision", "comment", "cast_at"],
		order_by="cast_at asc",
	)


def _locked_article(article_name: str):
	if frappe.db.get_value("KM Article", article_name, "name", for_update=True) is None:
		frappe.throw(_("Article {0} was not found.").format(article_name), frappe.DoesNotExistError)
	article = frappe.get_doc("KM Article", article_name)
	article.check_permission("write")
	return article


def _require_contributor(article) -> None:
	if not lifecycle.can_submit(frappe.get_roles()):
		frappe.throw(
			_("You need a knowledge role (KM Candidate or higher) to do this."), frappe.PermissionError
		)


def _require_sections(article) -> None:
	missing = article_shape.missing_sections(article)
	if missing:
		labels = ", ".join(_(dict(article_shape.SECTIONS).get(f, f)) for f in missing)
		frappe.throw(_("Fill in these sections first: {0}").format(labels), KMError)


def _committee_or_throw(article):
	committee = committee_for(article.category, article.audience)
	if not committee:
		frappe.throw(
			_(
				"No knowledge committee reviews {0} articles in category {1}. Ask a KM Manager to set one up."
			).format(_(article.audience), article.category or _("(none)")),
			NoCommitteeError,
		)
	return committee


def _save_round(review) -> None:
	review.flags.km_round = True
	review.save(ignore_permissions=True)


def _clear_current_review(article) -> None:
	article.current_review = None
	article.flags.km_transition = True
	article.save(ignore_permissions=True)


def _close_assignment(review_name: str, user: str) -> None:
	try:
		assign_to.close(REVIEW, review_name, user, ignore_permissions=True)
	except frappe.DoesNotExistError:
		pass


def _translate_vote_error(error: quorum.VoteRuleError, review) -> str:
	messages = {
		"round_not_open": _("Voting is closed: this review is {0}.").format(_(review.status)),
		"already_voted": _("You have already voted on this review; a vote cannot be changed."),
		"deadline_passed": _("The deadline of this review has passed."),
		"unknown_decision": _("Unknown vote. Choose Approve, Request Changes or Reject."),
		"author_vote": _("The author of the article cannot vote on its review."),
		"not_member": _("Only committee members can vote on this review."),
	}
	return messages.get(error.code) or translated(error)


def translated_reason(decision: quorum.Decision) -> str:
	values = {**decision.reason_values, "outcome": _(decision.reason_values["outcome"])}
	return _(decision.reason_template).format(**values)

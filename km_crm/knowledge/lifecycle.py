"""Article life cycle: the state machine and the publishing policy.

Pure Python, no ``import frappe``. Controllers call :func:`next_status` and turn a
:class:`TransitionError` into ``frappe.throw(km_crm.exceptions.translated(err), LifecycleError)``.

Statuses::

    Draft --submit--> In Review --approve--> Published --mark_review_due--> Needs Review
      ^                 |  request_changes / reject / withdraw -> Draft
      |                 |  expire -> In Review (expiry escalates, it does not decide)
      +--publish (direct, KM Publisher, allowed audiences) --> Published
    Published / Needs Review --edit--> Draft (the working copy; the published version stays live)
    Needs Review --submit--> In Review (revalidation)
    Published / Needs Review --retire--> Archived --restore--> Draft
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from km_crm.constants import (
	ARCHIVED,
	DIRECT_PUBLISH_ROLES,
	DRAFT,
	IN_REVIEW,
	INTERNAL,
	NEEDS_REVIEW,
	PUBLISHED,
	REVIEW_APPROVED,
	REVIEW_CANCELLED,
	REVIEW_CHANGES_REQUESTED,
	REVIEW_EXPIRED,
	REVIEW_REJECTED,
	ROLE_CANDIDATE,
	STATUSES,
	SUBMIT_ROLES,
)
from km_crm.dates import as_date
from km_crm.rule_error import RuleError

# --- Actions -----------------------------------------------------------------------------------
ACTION_SUBMIT = "submit"
ACTION_APPROVE = "approve"
ACTION_REQUEST_CHANGES = "request_changes"
ACTION_REJECT = "reject"
ACTION_WITHDRAW = "withdraw"
ACTION_EXPIRE = "expire"
ACTION_PUBLISH = "publish"
ACTION_EDIT = "edit"
ACTION_MARK_REVIEW_DUE = "mark_review_due"
ACTION_RETIRE = "retire"
ACTION_RESTORE = "restore"

#: Human-readable verb phrase per action, used in messages ("Cannot <label> an article that is X").
ACTION_LABELS = {
	ACTION_SUBMIT: "submit for review",
	ACTION_APPROVE: "approve",
	ACTION_REQUEST_CHANGES: "request changes to",
	ACTION_REJECT: "reject",
	ACTION_WITHDRAW: "withdraw from review",
	ACTION_EXPIRE: "expire the review of",
	ACTION_PUBLISH: "publish",
	ACTION_EDIT: "edit",
	ACTION_MARK_REVIEW_DUE: "mark as due for review",
	ACTION_RETIRE: "retire",
	ACTION_RESTORE: "restore",
}
ACTIONS = tuple(ACTION_LABELS)

#: (current status, action) -> next status. Anything not listed is forbidden.
TRANSITIONS: dict[tuple[str, str], str] = {
	(DRAFT, ACTION_SUBMIT): IN_REVIEW,
	(NEEDS_REVIEW, ACTION_SUBMIT): IN_REVIEW,
	(IN_REVIEW, ACTION_APPROVE): PUBLISHED,
	(IN_REVIEW, ACTION_REQUEST_CHANGES): DRAFT,
	(IN_REVIEW, ACTION_REJECT): DRAFT,
	(IN_REVIEW, ACTION_WITHDRAW): DRAFT,
	(IN_REVIEW, ACTION_EXPIRE): IN_REVIEW,
	(DRAFT, ACTION_PUBLISH): PUBLISHED,
	(PUBLISHED, ACTION_EDIT): DRAFT,
	(NEEDS_REVIEW, ACTION_EDIT): DRAFT,
	(PUBLISHED, ACTION_MARK_REVIEW_DUE): NEEDS_REVIEW,
	(PUBLISHED, ACTION_RETIRE): ARCHIVED,
	(NEEDS_REVIEW, ACTION_RETIRE): ARCHIVED,
	(ARCHIVED, ACTION_RESTORE): DRAFT,
}

#: Review outcome -> article action that applies it.
REVIEW_OUTCOME_ACTIONS = {
	REVIEW_APPROVED: ACTION_APPROVE,
	REVIEW_CHANGES_REQUESTED: ACTION_REQUEST_CHANGES,
	REVIEW_REJECTED: ACTION_REJECT,
	REVIEW_EXPIRED: ACTION_EXPIRE,
	REVIEW_CANCELLED: ACTION_WITHDRAW,
}

# --- Publishing policy ---------------------------------------------------------------------------
DEFAULT_DIRECT_AUDIENCES = frozenset({INTERNAL})

# --- Messages ----------------------------------------------------------------------------------
MSG_UNKNOWN_STATUS = "Unknown article status: {status}"
MSG_UNKNOWN_ACTION = "Unknown article action: {action}"
MSG_FORBIDDEN = "Cannot {action} an article that is {status}"


class LifecycleRuleError(RuleError):
	"""Base class of life-cycle errors; carries a plain English ``message`` and a ``code``."""

	code = "lifecycle_error"


class TransitionError(LifecycleRuleError):
	"""An action that the article's current status does not allow."""

	code = "transition_not_allowed"


def _check_status(status: str) -> None:
	if status not in STATUSES:
		raise TransitionError(MSG_UNKNOWN_STATUS, "unknown_status", status=status)


def next_status(current: str, action: str) -> str:
	"""Return the status an article moves to when ``action`` is applied in status ``current``."""
	_check_status(current)
	if action not in ACTION_LABELS:
		raise TransitionError(MSG_UNKNOWN_ACTION, "unknown_action", action=action)
	try:
		return TRANSITIONS[(current, action)]
	except KeyError:
		raise TransitionError(MSG_FORBIDDEN, action=ACTION_LABELS[action], status=current) from None


def can_transition(current: str, action: str) -> bool:
	return (current, action) in TRANSITIONS


def action_for_review_outcome(outcome: str) -> str | None:
	"""The article action that applies a closed review's outcome (None while the round is Open)."""
	return REVIEW_OUTCOME_ACTIONS.get(outcome)


# --- Policy -------------------------------------------------------------------------------------
def can_submit(roles: Iterable[str]) -> bool:
	"""Whether a user with ``roles`` may submit or edit articles."""
	return bool(SUBMIT_ROLES.intersection(roles))


def can_publish_directly(
	audience: str, roles: Iterable[str], committee_direct_audiences: Iterable[str]
) -> bool:
	"""Whether a user may publish without a committee round.

	A KM Candidate never publishes directly (even if they also hold another role). A KM Publisher
	or KM Manager may publish directly only to an audience listed in ``committee_direct_audiences``
	(typically ``{"Internal"}``); everything else goes through committee approval.
	"""
	roles = set(roles)
	if ROLE_CANDIDATE in roles:
		return False
	if not DIRECT_PUBLISH_ROLES.intersection(roles):
		return False
	return audience in set(committee_direct_audiences)


def is_live(status: str, has_published_version: bool) -> bool:
	"""Whether readers see a published version of the article.

	Published and Needs Review are always live. Draft and In Review are the working copy of the
	next version: the article is live only if an earlier version was published. Archived never is.
	"""
	if status in (PUBLISHED, NEEDS_REVIEW):
		return True
	if status in (DRAFT, IN_REVIEW):
		return bool(has_published_version)
	return False


def live_article_filters() -> dict:
	"""is_live as Frappe filters on KM Article, for every query that counts or lists live articles
	(search indexing, knowledge for a customer, expert evidence, ROI reuse): a published version is
	set (retiring clears it) and the article is not archived. An article whose next version is being
	drafted or reviewed is live."""
	return {"published_version": ("is", "set"), "status": ("!=", ARCHIVED)}


def review_due(review_by: date | datetime | str | None, today: date) -> bool:
	"""True when a review-by date is set and has been reached (the day itself is due)."""
	review_by = as_date(review_by)
	return review_by is not None and review_by <= as_date(today)


def expired(expires_on: date | datetime | str | None, today: date) -> bool:
	"""True when an expiry date is set and has been reached (the article expires on that day)."""
	expires_on = as_date(expires_on)
	return expires_on is not None and expires_on <= as_date(today)

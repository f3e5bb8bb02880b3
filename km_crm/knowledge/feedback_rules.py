"""Rules of reader feedback ("Did this help?"), pure: what a vote must say and what it sets off."""

from __future__ import annotations

from collections.abc import Iterable

from km_crm.constants import FEEDBACK_REASONS, FEEDBACK_REVIEW_REASONS
from km_crm.rule_error import RuleError

MSG_REASON_REQUIRED = "Tell us what was wrong with the article."
MSG_UNKNOWN_REASON = "Unknown reason: {reason}"
MAX_COMMENT_CHARS = 2000


class FeedbackError(RuleError):
	code = "feedback_refused"


def check(helpful: bool, reason: str | None) -> None:
	"""A "not helpful" vote names one of the reasons; a helpful one names none."""
	if helpful:
		return
	if not reason:
		raise FeedbackError(MSG_REASON_REQUIRED, "reason_required")
	if reason not in FEEDBACK_REASONS:
		raise FeedbackError(MSG_UNKNOWN_REASON, "unknown_reason", reason=reason)


def owner_should_hear(helpful: bool, comment: str | None) -> bool:
	"""A reader who says the article did not help and says why in words gets the owner's attention."""
	return not helpful and bool((comment or "").strip())


def calls_for_review(reasons_on_live_version: Iterable[str | None], threshold: int) -> bool:
	"""Enough "outdated" or "incorrect" votes on the live version send it back to review (0: never)."""
	if threshold <= 0:
		return False
	return sum(1 for r in reasons_on_live_version if r in FEEDBACK_REVIEW_REASONS) >= threshold

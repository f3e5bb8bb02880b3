"""N-of-M committee votes for a KM Review round.

Pure Python, no ``import frappe``. The KM Review controller stores the votes and calls
:func:`validate_vote` before saving one and :func:`decide` after; a round closes exactly once,
the first time :func:`decide` returns something other than ``"Open"``.

Rules
-----
* Eligible voters are the committee's *current* members minus the article's author.
* Each eligible member votes once; a vote is never changed.
* The deadline is inclusive: a vote cast exactly at the deadline counts, one a microsecond later
  is refused (and ignored by :func:`decide` should it be in the record anyway).
* Members who leave the committee mid-round: their vote stays in the record (the audit trail is
  never rewritten) but it no longer counts, and the denominator shrinks with the committee. The
  required number of approvals is recomputed from the current committee, so a departure can let
  the round decide (fewer pending voters, smaller fractional quorum) or make approval impossible.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from km_crm.constants import (
	REVIEW_APPROVED,
	REVIEW_CHANGES_REQUESTED,
	REVIEW_EXPIRED,
	REVIEW_OPEN,
	REVIEW_REJECTED,
)
from km_crm.rule_error import RuleError

APPROVE = "Approve"
REQUEST_CHANGES = "Request Changes"
REJECT = "Reject"
DECISIONS = (APPROVE, REQUEST_CHANGES, REJECT)


#: Tolerance so that e.g. 2/3 of 3 members (2.0000000000000004 in floating point) needs 2 votes.
FRACTION_EPSILON = 1e-9
#: Percentages are typed with two decimals: within half a hundredth of a percentage point of a simple
#: fraction (denominator up to 12) they are read as that fraction.
PERCENT_SNAP_DENOMINATOR = 12
PERCENT_SNAP_TOLERANCE = 0.00005

# --- Messages ----------------------------------------------------------------------------------
MSG_NEGATIVE_MIN = "The minimum number of approvals cannot be negative"
MSG_BAD_FRACTION = "The approval fraction must be between 0 and 1"
MSG_BAD_PERCENT = "The approval percentage must be between 0 and 100"
MSG_NO_ELIGIBLE = "The committee has no members who may vote on this article"
MSG_INFEASIBLE = (
	"This review needs {required} approvals but only {eligible} committee members may vote, "
	"so it could never be approved"
)
MSG_ROUND_NOT_OPEN = "Voting is closed: this review is {status}"
MSG_UNKNOWN_DECISION = "Unknown vote: {decision}. Choose Approve, Request Changes or Reject"
MSG_AUTHOR_VOTE = "The author of the article cannot vote on its review"
MSG_NOT_MEMBER = "{voter} is not a member of the reviewing committee"
MSG_ALREADY_VOTED = "{voter} has already voted on this review; a vote cannot be changed"
MSG_DEADLINE_PASSED = "The deadline of this review has passed"

REASON_APPROVED = "Approved by {approvals} of {eligible} voting members ({required} required)."
REASON_REJECTED = "Rejected by {rejects} of {eligible} voting members ({required} required)."
REASON_CHANGES = (
	"Changes requested: {negative} of {eligible} voting members did not approve "
	"({required} approvals required)."
)
REASON_IMPOSSIBLE = (
	"Approval is no longer possible: {approvals} approvals and {pending} members yet to vote, "
	"but {required} approvals are required. {outcome}."
)
REASON_EXPIRED = (
	"The deadline passed with {approvals} of {required} required approvals and {pending} members yet to vote."
)
REASON_OPEN = (
	"Waiting for votes: {approvals} of {required} required approvals, {pending} members yet to vote."
)


class QuorumRuleError(RuleError):
	"""Base class; carries a plain English ``message`` and a machine ``code``."""

	code = "quorum_error"


class VoteRuleError(QuorumRuleError):
	"""A vote that may not be cast."""

	code = "vote_refused"


@dataclass(frozen=True)
class QuorumRule:
	"""At least ``min_approvals`` and at least ``min_fraction`` of the eligible members."""

	min_approvals: int = 1
	min_fraction: float = 0.0

	def __post_init__(self):
		if self.min_approvals is None or self.min_approvals < 0:
			raise QuorumRuleError(MSG_NEGATIVE_MIN, "negative_min_approvals")
		if self.min_fraction is None or not (0.0 <= float(self.min_fraction) <= 1.0):
			raise QuorumRuleError(MSG_BAD_FRACTION, "bad_fraction")

	@classmethod
	def from_percent(cls, min_approvals: int | None, percent: float | None) -> QuorumRule:
		"""Build from a KM Committee's ``min_approvals`` and ``approval_percent`` (0-100).

		A percentage typed with two decimals is read as the simple fraction it stands for
		(66.67 -> 2/3, 33.33 -> 1/3), so that "two thirds of 3 members" needs 2 approvals, not 3.
		"""
		if percent is not None and not (0 <= float(percent) <= 100):
			raise QuorumRuleError(MSG_BAD_PERCENT, "bad_fraction")
		fraction = float(percent or 0) / 100.0
		simple = Fraction(fraction).limit_denominator(PERCENT_SNAP_DENOMINATOR)
		if abs(float(simple) - fraction) < PERCENT_SNAP_TOLERANCE:
			fraction = float(simple)
		return cls(min_approvals=int(min_approvals or 0), min_fraction=fraction)


@dataclass(frozen=True)
class Vote:
	voter: str
	decision: str
	cast_at: datetime


@dataclass(frozen=True)
class Decision:
	outcome: str
	approvals: int
	changes: int
	rejects: int
	required: int
	eligible: int
	pending: tuple[str, ...]
	reason_template: str
	reason_values: dict

	@property
	def reason(self) -> str:
		"""The reason in English; the app translates `reason_template` and fills in `reason_values`."""
		return self.reason_template.format(**self.reason_values)

	@property
	def is_final(self) -> bool:
		return self.outcome not in (REVIEW_OPEN, REVIEW_EXPIRED)


def required_approvals(rule: QuorumRule, eligible_count: int) -> int:
	"""Approvals needed: max(min_approvals, ceil(min_fraction * eligible)), and at least 1."""
	by_fraction = math.ceil(rule.min_fraction * eligible_count - FRACTION_EPSILON)
	return max(1, int(rule.min_approvals), by_fraction)


def check_feasible(rule: QuorumRule, eligible_count: int) -> int:
	"""Return the required approvals, or raise :class:`QuorumRuleError` if the round could never pass."""
	if eligible_count <= 0:
		raise QuorumRuleError(MSG_NO_ELIGIBLE, "no_eligible_voters")
	required = required_approvals(rule, eligible_count)
	if required > eligible_count:
		raise QuorumRuleError(MSG_INFEASIBLE, "infeasible", required=required, eligible=eligible_count)
	return required


def eligible_voters(members: Iterable[str], author: str | None) -> frozenset[str]:
	"""Committee members who may vote: everyone but the author."""
	return frozenset(m for m in members if m and m != author)


def validate_vote(
	voter: str,
	decision: str,
	*,
	members: Iterable[str],
	author: str | None,
	existing_votes: Iterable[Vote],
	now: datetime,
	deadline: datetime | None,
	round_status: str,
) -> None:
	"""Raise :class:`VoteRuleError` if ``voter`` may not cast ``decision`` now."""
	if round_status != REVIEW_OPEN:
		raise VoteRuleError(MSG_ROUND_NOT_OPEN, "round_not_open", status=round_status)
	if decision not in DECISIONS:
		raise VoteRuleError(MSG_UNKNOWN_DECISION, "unknown_decision", decision=decision)
	if author and voter == author:
		raise VoteRuleError(MSG_AUTHOR_VOTE, "author_vote")
	if voter not in set(members):
		raise VoteRuleError(MSG_NOT_MEMBER, "not_member", voter=voter)
	if any(v.voter == voter for v in existing_votes):
		raise VoteRuleError(MSG_ALREADY_VOTED, "already_voted", voter=voter)
	if deadline is not None and now > deadline:
		raise VoteRuleError(MSG_DEADLINE_PASSED, "deadline_passed")


def counted_votes(
	votes: Iterable[Vote], eligible: frozenset[str], deadline: datetime | None
) -> dict[str, Vote]:
	"""The votes that count: from current eligible voters, known decision, cast by the deadline;
	one per voter (the earliest, should the record ever hold two)."""
	counted: dict[str, Vote] = {}
	for vote in sorted(votes, key=lambda v: (v.cast_at, v.voter, v.decision)):
		if vote.voter not in eligible or vote.decision not in DECISIONS or vote.voter in counted:
			continue
		if deadline is not None and vote.cast_at > deadline:
			continue
		counted[vote.voter] = vote
	return counted


def decide(
	rule: QuorumRule,
	*,
	members: Iterable[str],
	author: str | None,
	votes: Iterable[Vote],
	now: datetime,
	deadline: datetime | None,
) -> Decision:
	"""Evaluate a round. Deterministic and idempotent: same inputs, same :class:`Decision`."""
	eligible = eligible_voters(members, author)
	counted = counted_votes(votes, eligible, deadline)
	tally = {d: sum(1 for v in counted.values() if v.decision == d) for d in DECISIONS}
	approvals, changes, rejects = tally[APPROVE], tally[REQUEST_CHANGES], tally[REJECT]
	pending = tuple(sorted(eligible - counted.keys()))
	required = required_approvals(rule, len(eligible))
	numbers = dict(
		approvals=approvals,
		changes=changes,
		rejects=rejects,
		required=required,
		eligible=len(eligible),
		pending=len(pending),
	)

	if approvals >= required:
		outcome, template = REVIEW_APPROVED, REASON_APPROVED
	elif rejects >= required:
		outcome, template = REVIEW_REJECTED, REASON_REJECTED
	elif rejects + changes >= required:
		outcome, template = REVIEW_CHANGES_REQUESTED, REASON_CHANGES
	elif approvals + len(pending) < required:
		outcome = REVIEW_REJECTED if rejects > changes else REVIEW_CHANGES_REQUESTED
		template = REASON_IMPOSSIBLE
	elif deadline is not None and now > deadline:
		outcome, template = REVIEW_EXPIRED, REASON_EXPIRED
	else:
		outcome, template = REVIEW_OPEN, REASON_OPEN

	return Decision(
		outcome=outcome,
		approvals=approvals,
		changes=changes,
		rejects=rejects,
		required=required,
		eligible=len(eligible),
		pending=pending,
		reason_template=template,
		reason_values={**numbers, "negative": rejects + changes, "outcome": outcome},
	)


def reminder_due(
	pending: Iterable[str],
	*,
	last_reminder_at: datetime | None,
	opened_at: datetime | None = None,
	now: datetime,
	interval: timedelta,
	deadline: datetime | None = None,
) -> tuple[str, ...]:
	"""Pending voters (sorted) to remind now, or ``()``.

	Due when the last reminder (or, if none was sent yet, the opening of the round) is at least
	``interval`` ago. Nobody is reminded once the deadline has passed or if ``interval`` is not
	positive (reminders switched off).
	"""
	if interval <= timedelta(0) or (deadline is not None and now > deadline):
		return ()
	since = last_reminder_at or opened_at
	if since is not None and now - since < interval:
		return ()
	return tuple(sorted(set(pending)))

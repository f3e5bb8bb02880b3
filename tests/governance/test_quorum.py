from datetime import datetime, timedelta

import pytest

from km_crm.governance.quorum import (
	Decision,
	QuorumRule,
	QuorumRuleError,
	Vote,
	VoteRuleError,
	check_feasible,
	decide,
	eligible_voters,
	reminder_due,
	required_approvals,
	validate_vote,
)

T0 = datetime(2024, 6, 1, 9, 0, 0)
DEADLINE = T0 + timedelta(days=3)
MEMBERS = ("alice", "bob", "carol", "dave", "erin")


def vote(voter, decision, minutes=1):
	return Vote(voter=voter, decision=decision, cast_at=T0 + timedelta(minutes=minutes))


def run(rule, votes, members=MEMBERS, author="zoe", now=None, deadline=DEADLINE) -> Decision:
	return decide(
		rule,
		members=members,
		author=author,
		votes=votes,
		now=now or T0 + timedelta(hours=1),
		deadline=deadline,
	)


# --- rule and required approvals ----------------------------------------------------------------------
@pytest.mark.parametrize(
	("fraction", "eligible", "required"),
	[
		(2 / 3, 3, 2),
		(2 / 3, 4, 3),
		(0.5, 5, 3),
		(0.5, 4, 2),
		(1.0, 5, 5),
		(1.0, 1, 1),
		(0.0, 5, 1),
		(0.6, 5, 3),
		(0.7, 10, 7),
	],
)
def test_fraction_rounding(fraction, eligible, required):
	assert required_approvals(QuorumRule(min_approvals=0, min_fraction=fraction), eligible) == required


def test_required_is_the_larger_of_count_and_fraction_and_at_least_one():
	assert required_approvals(QuorumRule(min_approvals=3, min_fraction=0.5), 4) == 3
	assert required_approvals(QuorumRule(min_approvals=1, min_fraction=0.75), 4) == 3
	assert required_approvals(QuorumRule(min_approvals=0, min_fraction=0.0), 4) == 1


@pytest.mark.parametrize("kwargs", [dict(min_approvals=-1), dict(min_fraction=-0.1), dict(min_fraction=1.01)])
def test_invalid_rule_is_refused(kwargs):
	with pytest.raises(QuorumRuleError) as info:
		QuorumRule(**kwargs)
	assert info.value.message


def test_rule_from_committee_percent():
	rule = QuorumRule.from_percent(2, 66.6667)
	assert rule.min_approvals == 2
	assert required_approvals(rule, 3) == 2
	assert required_approvals(QuorumRule.from_percent(0, 66.67), 3) == 2
	assert required_approvals(QuorumRule.from_percent(0, 66.67), 4) == 3
	assert required_approvals(QuorumRule.from_percent(0, 33.33), 3) == 1
	assert required_approvals(QuorumRule.from_percent(0, 50), 5) == 3
	assert required_approvals(QuorumRule.from_percent(0, 67), 3) == 3  # 67% is more than two thirds
	assert QuorumRule.from_percent(None, None) == QuorumRule(min_approvals=0, min_fraction=0.0)
	with pytest.raises(QuorumRuleError):
		QuorumRule.from_percent(1, 150)


def test_rule_is_frozen():
	rule = QuorumRule()
	with pytest.raises(AttributeError):
		rule.min_approvals = 5


def test_min_approvals_larger_than_committee_is_infeasible():
	with pytest.raises(QuorumRuleError) as info:
		check_feasible(QuorumRule(min_approvals=6), 5)
	assert info.value.code == "infeasible"
	assert "6" in info.value.message and "5" in info.value.message
	assert check_feasible(QuorumRule(min_approvals=5), 5) == 5


def test_committee_with_nobody_eligible_is_infeasible():
	with pytest.raises(QuorumRuleError) as info:
		check_feasible(QuorumRule(), 0)
	assert info.value.code == "no_eligible_voters"


def test_author_in_committee_is_excluded_from_denominator():
	assert eligible_voters(["alice", "bob", "carol"], "alice") == frozenset({"bob", "carol"})
	d = run(
		QuorumRule(min_approvals=0, min_fraction=1.0),
		[vote("bob", "Approve"), vote("carol", "Approve")],
		members=("alice", "bob", "carol"),
		author="alice",
	)
	assert d.eligible == 2 and d.required == 2
	assert d.outcome == "Approved"


# --- validate_vote -------------------------------------------------------------------------------------
def check(
	voter="alice",
	decision="Approve",
	existing=(),
	now=T0,
	deadline=DEADLINE,
	status="Open",
	members=MEMBERS,
	author="zoe",
):
	validate_vote(
		voter,
		decision,
		members=members,
		author=author,
		existing_votes=existing,
		now=now,
		deadline=deadline,
		round_status=status,
	)


def test_valid_vote_passes():
	check()
	check(decision="Request Changes")
	check(decision="Reject", deadline=None)


@pytest.mark.parametrize(
	("kwargs", "code"),
	[
		(dict(voter="mallory"), "not_member"),
		(dict(voter="alice", author="alice"), "author_vote"),
		(dict(existing=(vote("alice", "Reject"),)), "already_voted"),
		(dict(decision="Abstain"), "unknown_decision"),
		(dict(decision="approve"), "unknown_decision"),
		(dict(status="Approved"), "round_not_open"),
		(dict(status="Expired"), "round_not_open"),
		(dict(now=DEADLINE + timedelta(microseconds=1)), "deadline_passed"),
	],
)
def test_invalid_votes_are_refused(kwargs, code):
	with pytest.raises(VoteRuleError) as info:
		check(**kwargs)
	assert info.value.code == code
	assert info.value.message and isinstance(info.value, ValueError)


def test_duplicate_vote_refused_even_with_same_decision():
	with pytest.raises(VoteRuleError, match="already voted"):
		check(decision="Approve", existing=(vote("alice", "Approve"),))


def test_author_message_is_clear_even_when_author_is_member():
	with pytest.raises(VoteRuleError, match="author"):
		check(voter="alice", members=MEMBERS, author="alice")


def test_vote_exactly_at_deadline_is_accepted():
	check(now=DEADLINE)


# --- decide ------------------------------------------------------------------------------------------
def test_open_round_lists_pending_voters_sorted():
	d = run(QuorumRule(min_approvals=3), [vote("carol", "Approve")])
	assert d.outcome == "Open"
	assert d.pending == ("alice", "bob", "dave", "erin")
	assert (d.approvals, d.changes, d.rejects, d.required, d.eligible) == (1, 0, 0, 3, 5)
	assert "1 of 3" in d.reason


def test_approved_when_quorum_reached():
	votes = [vote("alice", "Approve"), vote("bob", "Approve"), vote("carol", "Reject")]
	d = run(QuorumRule(min_approvals=2), votes)
	assert d.outcome == "Approved"
	assert d.reason.startswith("Approved by 2 of 5")


def test_rejected_when_rejects_reach_quorum():
	votes = [vote("alice", "Reject"), vote("bob", "Reject"), vote("carol", "Approve")]
	assert run(QuorumRule(min_approvals=2), votes).outcome == "Rejected"


def test_changes_requested_when_negative_votes_reach_quorum():
	votes = [vote("alice", "Reject"), vote("bob", "Request Changes")]
	d = run(QuorumRule(min_approvals=2), votes)
	assert d.outcome == "Changes Requested"
	assert (d.rejects, d.changes) == (1, 1)


def test_impossible_approval_with_more_rejects_is_rejected():
	# 3 of 3 needed; one reject makes approval impossible
	d = run(QuorumRule(min_fraction=1.0), [vote("alice", "Reject")], members=("alice", "bob", "carol"))
	assert d.outcome == "Rejected"
	assert "no longer possible" in d.reason


def test_impossible_approval_tie_goes_to_changes_requested():
	members = ("alice", "bob", "carol", "dave")
	votes = [vote("alice", "Reject"), vote("bob", "Request Changes")]
	d = run(QuorumRule(min_approvals=3, min_fraction=0.75), votes, members=members)
	# required 3, approvals 0 + pending 2 < 3 -> impossible; rejects 1 == changes 1 -> milder outcome
	assert d.required == 3
	assert d.outcome == "Changes Requested"


def test_expired_when_deadline_passes_undecided():
	d = run(QuorumRule(min_approvals=3), [vote("alice", "Approve")], now=DEADLINE + timedelta(microseconds=1))
	assert d.outcome == "Expired"
	assert d.pending == ("bob", "carol", "dave", "erin")


def test_not_expired_exactly_at_deadline():
	assert run(QuorumRule(min_approvals=3), [], now=DEADLINE).outcome == "Open"


def test_vote_cast_exactly_at_deadline_counts():
	late_ok = Vote("bob", "Approve", DEADLINE)
	d = run(
		QuorumRule(min_approvals=2), [vote("alice", "Approve"), late_ok], now=DEADLINE + timedelta(seconds=1)
	)
	assert d.outcome == "Approved"


def test_vote_cast_after_deadline_is_ignored():
	too_late = Vote("bob", "Approve", DEADLINE + timedelta(microseconds=1))
	d = run(
		QuorumRule(min_approvals=2), [vote("alice", "Approve"), too_late], now=DEADLINE + timedelta(seconds=1)
	)
	assert d.outcome == "Expired"
	assert d.approvals == 1
	assert "bob" in d.pending


def test_decision_takes_precedence_over_deadline():
	d = run(QuorumRule(min_approvals=1), [vote("alice", "Approve")], now=DEADLINE + timedelta(days=1))
	assert d.outcome == "Approved"


def test_no_deadline_never_expires():
	d = run(QuorumRule(min_approvals=2), [], now=T0 + timedelta(days=365), deadline=None)
	assert d.outcome == "Open"


def test_member_who_left_no_longer_counts_and_denominator_shrinks():
	votes = [vote("alice", "Approve"), vote("bob", "Reject")]
	rule = QuorumRule(min_approvals=0, min_fraction=0.5)
	before = run(rule, votes, members=("alice", "bob", "carol", "dave"))
	assert (before.outcome, before.required, before.eligible) == ("Open", 2, 4)
	# alice leaves: her approval stays in the record but stops counting
	after = run(rule, votes, members=("bob", "carol", "dave"))
	assert after.eligible == 3 and after.required == 2
	assert after.approvals == 0 and after.rejects == 1
	assert after.outcome == "Open"
	assert after.pending == ("carol", "dave")


def test_member_leaving_lets_round_decide():
	# everyone must approve; carol (still pending) leaves, so the two approvals now suffice
	rule = QuorumRule(min_approvals=0, min_fraction=1.0)
	votes = [vote("alice", "Approve"), vote("bob", "Approve")]
	assert run(rule, votes, members=("alice", "bob", "carol")).outcome == "Open"
	assert run(rule, votes, members=("alice", "bob")).outcome == "Approved"


def test_member_leaving_makes_approval_impossible():
	rule = QuorumRule(min_approvals=3)
	votes = [vote("alice", "Approve"), vote("bob", "Approve"), vote("carol", "Reject")]
	assert run(rule, votes, members=("alice", "bob", "carol", "dave")).outcome == "Open"
	d = run(rule, votes, members=("alice", "bob", "carol"))  # dave left
	assert d.outcome == "Rejected"
	assert d.required == 3 and d.eligible == 3


def test_author_vote_in_record_never_counts():
	votes = [vote("zoe", "Approve"), vote("alice", "Approve")]
	d = run(QuorumRule(min_approvals=2), votes, members=(*MEMBERS, "zoe"), author="zoe")
	assert d.approvals == 1
	assert d.outcome == "Open"


def test_only_first_vote_of_a_voter_counts():
	votes = [vote("alice", "Reject", minutes=5), vote("alice", "Approve", minutes=1)]
	d = run(QuorumRule(min_approvals=1), votes)
	assert (d.approvals, d.rejects) == (1, 0)


def test_unknown_decision_in_record_is_ignored():
	d = run(QuorumRule(min_approvals=1), [vote("alice", "Maybe")])
	assert d.outcome == "Open"
	assert "alice" in d.pending


def test_decide_is_idempotent_and_order_independent():
	votes = [vote("alice", "Approve", 3), vote("bob", "Reject", 1), vote("carol", "Request Changes", 2)]
	rule = QuorumRule(min_approvals=2)
	first = run(rule, votes)
	assert run(rule, list(reversed(votes))) == first
	assert run(rule, votes) == first
	assert first.outcome == "Changes Requested"


def test_decision_is_frozen():
	d = run(QuorumRule(), [])
	with pytest.raises(AttributeError):
		d.outcome = "Approved"


# --- reminders ----------------------------------------------------------------------------------------
def test_reminder_due_after_interval():
	pending = ("bob", "alice")
	hours = timedelta(hours=24)
	assert (
		reminder_due(
			pending, last_reminder_at=None, opened_at=T0, now=T0 + timedelta(hours=23), interval=hours
		)
		== ()
	)
	assert reminder_due(pending, last_reminder_at=None, opened_at=T0, now=T0 + hours, interval=hours) == (
		"alice",
		"bob",
	)
	last = T0 + timedelta(hours=30)
	assert reminder_due(pending, last_reminder_at=last, now=last + timedelta(hours=1), interval=hours) == ()
	assert reminder_due(pending, last_reminder_at=last, now=last + hours, interval=hours) == ("alice", "bob")


def test_no_reminder_after_deadline_or_when_switched_off():
	assert (
		reminder_due(
			("a",),
			last_reminder_at=None,
			now=DEADLINE + timedelta(seconds=1),
			interval=timedelta(hours=1),
			deadline=DEADLINE,
		)
		== ()
	)
	assert reminder_due(("a",), last_reminder_at=None, now=T0, interval=timedelta(0)) == ()

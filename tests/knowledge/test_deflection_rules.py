from datetime import datetime, timedelta

import pytest

from km_crm import constants as C
from km_crm.knowledge.deflection_rules import (
	DEFAULT_WINDOW_MINUTES,
	article_figures,
	outcome,
	self_service_rate,
	shown_changed,
	window,
)

T0 = datetime(2026, 12, 2, 9, 0)


def at(minutes: int) -> datetime:
	return T0 + timedelta(minutes=minutes)


def test_an_opened_article_and_no_ticket_is_a_potential_deflection_only_after_the_window():
	events = [(C.EVENT_SHOWN, at(0)), (C.EVENT_OPENED, at(2))]
	assert outcome(events, at(31), 30) == (C.OUTCOME_OPEN, False)
	assert outcome(events, at(32), 30) == (C.OUTCOME_POTENTIAL, True)


def test_the_window_counts_from_the_last_event():
	events = [(C.EVENT_SHOWN, at(0)), (C.EVENT_OPENED, at(2)), (C.EVENT_SHOWN, at(25))]
	assert outcome(events, at(40), 30).outcome == C.OUTCOME_OPEN
	assert outcome(events, at(55), 30).outcome == C.OUTCOME_POTENTIAL


def test_solved_is_a_confirmed_deflection_at_once_and_final_after_the_window():
	events = [(C.EVENT_SHOWN, at(0)), (C.EVENT_OPENED, at(1)), (C.EVENT_SOLVED, at(3))]
	assert outcome(events, at(4), 30) == (C.OUTCOME_DEFLECTED, False)
	assert outcome(events, at(60), 30) == (C.OUTCOME_DEFLECTED, True)


def test_a_ticket_wins_over_everything_and_is_final():
	events = [(C.EVENT_SOLVED, at(3)), (C.EVENT_SUBMITTED, at(5)), (C.EVENT_SHOWN, at(0))]
	assert outcome(events, at(6), 30) == (C.OUTCOME_SUBMITTED, True)


def test_suggestions_nobody_opened_settle_as_nothing_opened():
	assert outcome([(C.EVENT_SHOWN, at(0))], at(10), 30) == (C.OUTCOME_OPEN, False)
	assert outcome([(C.EVENT_SHOWN, at(0))], at(30), 30) == (C.OUTCOME_NOTHING_OPENED, True)


def test_a_session_without_events_stays_open_and_unknown_events_are_refused():
	assert outcome([], at(1000), 30) == (C.OUTCOME_OPEN, False)
	with pytest.raises(ValueError):
		outcome([("Clicked", at(0))], at(1), 30)


def test_the_window_has_a_default_and_a_ceiling():
	assert window(None) == window(0) == window(-5) == timedelta(minutes=DEFAULT_WINDOW_MINUTES)
	assert window(90) == timedelta(minutes=90)
	assert window(10**9) == timedelta(days=30)


def test_only_a_different_list_is_shown_again():
	assert not shown_changed(["KB-1", "KB-2"], ["KB-1", "KB-2"])
	assert shown_changed(["KB-1", "KB-2"], ["KB-2", "KB-1"])
	assert shown_changed([], ["KB-1"])


def test_article_figures_count_sessions_once_and_credit_what_each_session_did():
	outcomes = {
		"s1": C.OUTCOME_DEFLECTED,
		"s2": C.OUTCOME_POTENTIAL,
		"s3": C.OUTCOME_SUBMITTED,
		"s4": C.OUTCOME_NOTHING_OPENED,
	}
	events = [
		("s1", C.EVENT_SHOWN, None, ["KB-1", "KB-2"]),
		("s1", C.EVENT_SHOWN, None, ["KB-1"]),  # the same session again: counted once
		("s1", C.EVENT_OPENED, "KB-1", []),
		("s1", C.EVENT_SOLVED, "KB-1", []),
		("s2", C.EVENT_SHOWN, None, ["KB-1", "KB-2"]),
		("s2", C.EVENT_OPENED, "KB-1", []),
		("s2", C.EVENT_OPENED, "KB-2", []),
		("s3", C.EVENT_SHOWN, None, ["KB-2"]),
		("s3", C.EVENT_OPENED, "KB-2", []),
		("s3", C.EVENT_SUBMITTED, None, []),
		("s4", C.EVENT_SHOWN, None, ["KB-3"]),
	]
	by_article = {f.article: f for f in article_figures(outcomes, events)}
	assert [f.article for f in article_figures(outcomes, events)] == ["KB-1", "KB-2", "KB-3"]
	one, two, three = by_article["KB-1"], by_article["KB-2"], by_article["KB-3"]
	assert (one.suggested, one.opened, one.confirmed, one.potential, one.submitted_after_opening) == (
		2,
		2,
		1,
		1,
		0,
	)
	assert (two.suggested, two.opened, two.confirmed, two.potential, two.submitted_after_opening) == (
		3,
		2,
		0,
		1,
		1,
	)
	assert (three.suggested, three.opened, three.confirmed, three.potential) == (1, 0, 0, 0)


def test_a_solved_click_before_a_ticket_is_no_confirmed_deflection():
	events = [("s1", C.EVENT_SHOWN, None, ["KB-1"]), ("s1", C.EVENT_SOLVED, "KB-1", [])]
	assert article_figures({"s1": C.OUTCOME_SUBMITTED}, events)[0].confirmed == 0


def test_the_self_service_rate_counts_settled_sessions_only():
	assert self_service_rate([]) is None
	assert self_service_rate([C.OUTCOME_OPEN]) is None
	outcomes = [
		C.OUTCOME_DEFLECTED,
		C.OUTCOME_POTENTIAL,
		C.OUTCOME_SUBMITTED,
		C.OUTCOME_NOTHING_OPENED,
		C.OUTCOME_OPEN,
	]
	assert self_service_rate(outcomes) == 0.5

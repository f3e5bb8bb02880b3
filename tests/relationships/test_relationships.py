from datetime import date

import pytest

from km_crm.relationships.relationships import (
	ACCOUNT_MANAGER,
	EMAIL_RECEIVED,
	EMAIL_SENT,
	MEETING,
	RECIPROCITY,
	SALES_TEAM,
	Touch,
	fade,
	strength,
)

TODAY = date(2026, 12, 1)


def test_touches_fade_with_a_half_life_but_a_sales_team_role_does_not():
	assert fade(date(2026, 6, 4), TODAY) == pytest.approx(0.5)  # 180 days
	old_role = strength([Touch("sam", SALES_TEAM, date(2020, 1, 1), "Customer/Globex")], TODAY)
	assert old_role[0].score == 4.0
	manager = strength([Touch("sally", ACCOUNT_MANAGER, TODAY, "Customer/Globex")], TODAY)
	assert manager[0].score == 4.0
	assert manager[0].last is None  # a role is not a contact: "last in touch" stays empty


def test_a_conversation_both_ways_counts_more_than_mail_sent_alone():
	mailer = [Touch("ann", EMAIL_SENT, TODAY, f"Communication/{n}", "maria") for n in range(3)]
	talker = [
		Touch("bob", EMAIL_SENT, TODAY, "Communication/10", "maria"),
		Touch("bob", EMAIL_RECEIVED, TODAY, "Communication/11", "maria"),
	]
	ranked = strength(mailer + talker, TODAY)
	assert [r.user for r in ranked] == ["bob", "ann"]
	assert ranked[0].score == pytest.approx((1.0 + 1.5) * RECIPROCITY)
	assert ranked[0].reciprocal and not ranked[1].reciprocal


def test_the_relationship_names_the_people_the_last_touch_and_the_evidence():
	touches = [
		Touch("ann", MEETING, date(2026, 11, 20), "Event/1", "maria"),
		Touch("ann", EMAIL_SENT, date(2026, 10, 1), "Communication/1", "li.wei"),
		Touch("ann", EMAIL_SENT, date(2026, 11, 25), "Communication/2", "maria"),
	]
	[ann] = strength(touches, TODAY)
	assert ann.contacts == ["maria", "li.wei"]
	assert ann.last == date(2026, 11, 25)
	assert ann.evidence == ["Communication/2", "Event/1", "Communication/1"]
	assert ann.kinds == {MEETING: 1, EMAIL_SENT: 2}


def test_nobody_knows_an_organisation_without_touches_and_unknown_kinds_do_not_count():
	assert strength([], TODAY) == []
	assert strength([Touch("ann", "rumour", TODAY, "x")], TODAY) == []

from datetime import date

import pytest

from km_crm.experts.expertise import (
	ASKED,
	AUTHORED,
	AWAY,
	BUSY,
	RESOLVED,
	VOTE,
	Evidence,
	ExpertIndex,
	Person,
	decay,
	inferred_skills,
)
from km_crm.search.analysis import analyze

TODAY = date(2026, 12, 1)


def ticket(user, ref, text, on=TODAY, kind=RESOLVED, skills=()):
	return Evidence(user, kind, ref, on, tuple(analyze(text)), tuple(skills))


def test_evidence_halves_every_half_life_and_never_grows():
	assert decay(TODAY, TODAY) == 1.0
	assert decay(date(2026, 9, 2), TODAY) == pytest.approx(0.5)  # 90 days
	assert decay(date(2027, 1, 1), TODAY) == 1.0  # from the future: today's


def test_inferred_skills_weigh_kind_and_age_and_keep_their_evidence():
	skills = inferred_skills(
		[
			ticket("ann", "Issue/1", "vpn", skills=["category:Network"]),
			ticket("ann", "Issue/2", "vpn", on=date(2026, 9, 2), skills=["category:Network"]),
			Evidence("ann", AUTHORED, "KB-1", TODAY, (), ("category:Billing",)),
			Evidence("bob", VOTE, "KB-1", TODAY, (), ("category:Billing",)),
		],
		TODAY,
	)
	ann = {s.key: s for s in skills["ann"]}
	assert ann["category:Network"].score == pytest.approx(1.5)  # 1 + 0.5 (90 days old)
	assert ann["category:Network"].pieces == 2 and ann["category:Network"].last == TODAY
	assert ann["category:Billing"].score == 2.0  # writing the article counts more than a vote
	assert skills["bob"][0].score == pytest.approx(0.3)
	assert [s.key for s in skills["ann"]] == ["category:Billing", "category:Network"]


HISTORY = [
	ticket("ann", "Issue/1", "VPN client cannot connect after the update"),
	ticket("ann", "Issue/2", "VPN connection drops every hour"),
	ticket("ann", "Issue/3", "The VPN refuses my certificate"),
	ticket("bob", "Issue/4", "Invoice shows the wrong tax rate"),
	ticket("bob", "Issue/5", "Refund for a duplicate invoice"),
	ticket("cy", "Issue/6", "VPN cannot connect from the hotel", on=date(2025, 6, 1)),
]


def test_the_person_who_solved_similar_tickets_comes_first_with_the_reasons():
	index = ExpertIndex(HISTORY, TODAY)
	ranked = index.rank(analyze("VPN cannot connect"))
	assert [s.user for s in ranked][:2] == ["ann", "cy"]  # cy's ticket is old: it decayed
	reasons = ranked[0].reasons(TODAY)
	assert reasons["tickets"] == 3 and reasons["days"] == 90
	assert set(reasons["evidence"]) == {"Issue/1", "Issue/2", "Issue/3"}
	assert index.rank(analyze("duplicate invoice refund"))[0].user == "bob"


def test_availability_and_load_move_people_down_or_out():
	index = ExpertIndex(HISTORY, TODAY)
	question = analyze("VPN cannot connect")
	assert "ann" not in [s.user for s in index.rank(question, people={"ann": Person(AWAY)})]
	busy = index.rank(question, people={"ann": Person(BUSY)})
	assert busy[0].score < index.rank(question)[0].score
	full = index.rank(question, people={"ann": Person(open_tickets=5, capacity=5)})
	assert [s.user for s in full][-1] == "ann" and full[-1].at_capacity  # listed last
	assert [s.user for s in index.rank(question, candidates=["cy", "bob"])] == ["cy"]


def test_a_matching_skill_counts_without_any_similar_text():
	evidence = [*HISTORY, Evidence("dee", ASKED, "Issue/7", TODAY, (), ("item_group:Routers",))]
	ranked = ExpertIndex(evidence, TODAY).rank(analyze("blinking light"), skills=["item_group:Routers"])
	assert [s.user for s in ranked] == ["dee"]


def test_new_evidence_counts_once_added_and_nobody_knows_an_empty_site():
	index = ExpertIndex([], TODAY)
	assert index.rank(analyze("printer jams")) == []
	index.add(ticket("eve", "Issue/9", "printer jams on duplex"))
	assert [s.user for s in index.rank(analyze("printer jams"))] == ["eve"]


def test_someone_who_declared_other_languages_counts_half_and_anyone_else_speaks_all():
	index = ExpertIndex(HISTORY, TODAY)
	question = analyze("VPN cannot connect")
	english_only = {"ann": Person(languages=("en",))}
	plain = index.rank(question, language="zh")[0]
	assert plain.user == "ann"
	in_chinese = {s.user: s.score for s in index.rank(question, people=english_only, language="zh")}
	assert in_chinese["ann"] == pytest.approx(plain.score * 0.5)
	in_english = index.rank(question, people=english_only, language="en")[0]
	assert in_english.score == pytest.approx(plain.score)
	assert Person(languages=("zh-TW",)).speaks("zh") and Person().speaks("zh")


def test_a_hidden_skill_no_longer_suggests_its_holder_but_stays_in_their_skills():
	evidence = [Evidence("dee", ASKED, "Issue/7", TODAY, (), ("item_group:Routers",))]
	hidden = ExpertIndex(evidence, TODAY, hidden={"dee": ["item_group:Routers"]})
	assert hidden.rank(analyze("blinking light"), skills=["item_group:Routers"]) == []
	assert [s.key for s in hidden.skills["dee"]] == ["item_group:Routers"]


def test_meaning_finds_the_expert_when_the_question_shares_no_word_with_the_tickets():
	index = ExpertIndex(HISTORY, TODAY)
	question = analyze("VPN 连接不上")  # Chinese: "the VPN does not connect"; only "vpn" in common
	assert index.rank(analyze("发票税率不对")) == []  # "the invoice tax rate is wrong": no word
	meaning = {"Issue/4": 0.9, "Issue/5": 0.87, "Issue/1": 0.8}  # near bob's invoice tickets
	ranked = index.rank(analyze("发票税率不对"), meaning=meaning)
	assert [s.user for s in ranked] == ["bob"]  # ann's ticket is not near enough to count alone
	assert {e.ref for e in ranked[0].similar} == {"Issue/4", "Issue/5"}
	# with words in common, meaning reorders within them and keeps the word matches
	both = index.rank(question, meaning={"Issue/3": 0.9})
	assert both[0].user == "ann" and both[0].similar[0].ref == "Issue/3"

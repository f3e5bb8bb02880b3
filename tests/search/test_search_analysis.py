"""Shared text analysis: what terms an article and a query become."""

from __future__ import annotations

import pytest

from km_crm.search.analysis import (
	MAX_QUERY_TERMS,
	analyze,
	analyze_query,
	analyze_to_string,
	detect_language,
	highlight_terms,
	normalize_synonyms,
)
from km_crm.search.stemmer import stem


@pytest.mark.parametrize(
	"word, expected",
	[
		("running", "run"),
		("connections", "connect"),
		("generously", "generous"),
		("hopping", "hop"),
		("hoping", "hope"),
		("caresses", "caress"),
		("skies", "sky"),
		("news", "news"),
		("cancelled", "cancel"),
		("relational", "relat"),
		("goodness", "good"),
		("general", "general"),
		("communication", "communic"),
	],
)
def test_snowball_english_stems(word, expected):
	assert stem(word) == expected


def test_inflections_of_a_word_meet_on_one_term():
	assert analyze("policy policies") == [stem("policy")] * 2
	assert len(set(analyze("claim claims claimed claiming"))) == 1
	assert analyze("retire retired retirement")[0] == analyze("retirement")[0]


def test_stop_words_dropped_content_words_kept():
	assert analyze("What is the cost of the policy?") == ["cost", stem("policy")]
	assert analyze("the and of") == []


def test_chinese_becomes_characters_plus_bigrams():
	assert analyze("全文检索") == ["全", "文", "检", "索", "全文", "文检", "检索"]
	assert "检索" in analyze("如何使用检索功能")
	# punctuation breaks a run: no bigram across it
	assert "文检" not in analyze("全文，检索")


def test_mixed_script_runs_are_analysed_each_their_own_way():
	terms = analyze("Outlook邮件无法同步 after Updates")
	assert "outlook" in terms and stem("update") in terms
	assert "邮件" in terms and "同步" in terms


def test_full_width_and_case_are_normalised():
	assert analyze("ＥＲＰＮｅｘｔ　１５") == analyze("erpnext 15")
	assert analyze("「检索」『设置』") == analyze("检索 设置")


def test_language_detection_by_script_share():
	assert detect_language("如何重置密码") == "zh"
	assert detect_language("How to reset a password") == "en"
	assert detect_language("在 ERPNext 里如何重置密码") == "zh"
	assert detect_language("Reset the ERPNext password via the 设置 page on the server") == "en"
	assert detect_language("12345 !!!", default="zh") == "zh"


def test_chinese_query_drops_function_words_but_keeps_content_and_word_order():
	terms = {t.term for t in analyze_query("我可以在哪里购买长期护理保险？")}
	assert {"购买", "长期", "护理", "保险"} <= terms
	assert not {"可以", "哪里", "我", "在"} & terms
	assert "里购" in terms  # bigrams bridging a function word stay
	assert analyze_query("是的吗")  # only function words: still searched as typed


def test_highlight_terms_skip_single_characters_of_longer_words():
	marks = highlight_terms(analyze_query("检索设置"))
	assert "检索" in marks and "检" not in marks
	assert "猫" in highlight_terms(analyze_query("猫"))  # a one-character word is itself highlighted


@pytest.mark.parametrize(
	"text, expected",
	[
		('"reset password"', {"reset", "password"}),
		("reset* -password", {"reset", "password"}),
		("title:reset AND (password OR pin)", {"titl", "reset", "password", "pin"}),
		("((", set()),
		("", set()),
		(None, set()),
		("AND OR NOT", set()),
	],
)
def test_query_syntax_is_plain_text(text, expected):
	assert {t.term for t in analyze_query(text) if "_" not in t.term} == expected


def test_word_pairs_reward_adjacent_query_words():
	assert analyze_to_string("How much does a CT scan cost?").split() == [
		"much",
		"ct",
		"scan",
		"cost",
		"much_ct",
		"ct_scan",
		"scan_cost",
	]
	assert "word_医" not in analyze_to_string("word 医疗 next")  # pairs never cross Chinese text
	assert "word_next" not in analyze_to_string("word 医疗 next").split()
	terms = {t.term: t for t in analyze_query("CT scan price")}
	assert terms["ct_scan"].weight < terms["scan"].weight
	assert "ct_scan" not in highlight_terms(terms.values())
	assert analyze("CT scan") == ["ct", "scan"]  # plain analysis has no pairs


def test_huge_query_is_bounded_and_fast():
	terms = analyze_query("保险 policy " * 5000 + "x" * 10_000)
	assert 0 < len(terms) <= MAX_QUERY_TERMS


def test_synonyms_expand_in_both_directions_with_lower_weight():
	groups = [["laptop", "notebook computer"], ["理赔", "报销"]]
	terms = {t.term: t for t in analyze_query("laptop battery", synonyms=groups)}
	assert terms["notebook"].synonym and terms["comput"].synonym
	assert terms["notebook"].weight < terms["laptop"].weight
	back = {t.term for t in analyze_query("notebook computers", synonyms=groups)}
	assert "laptop" in back
	zh = {t.term: t for t in analyze_query("如何理赔", synonyms={"理赔": ["报销"]})}
	assert zh["报销"].synonym
	assert "报销" not in {t.term for t in analyze_query("如何理赔", synonyms=None)}


def test_synonym_groups_accept_admin_formats():
	assert normalize_synonyms(["TV, Television", "单一"]) == [["tv", "television"]]
	assert normalize_synonyms({"PC": ["computer"]}) == [["pc", "computer"]]


def test_hyphenated_words_also_count_as_one_word():
	assert "email" in analyze("Send an e-mail") and "mail" in analyze("Send an e-mail")
	assert "wifi" in {q.term for q in analyze_query("wi-fi drops")}
	assert "2factor" not in analyze("2-factor login")  # only letters join


def test_traditional_chinese_is_searched_as_simplified():
	assert analyze("忘記密碼") == analyze("忘记密码")
	assert "后台" in {q.term for q in analyze_query("後臺登錄")}

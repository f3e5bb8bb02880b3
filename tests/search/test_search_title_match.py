"""Chinese queries that read like an article's title, character by character, rank that article higher."""

from __future__ import annotations

import pytest

from km_crm.search.backend import Hit
from km_crm.search.ranking import rank_articles
from km_crm.search.title_match import (
	chinese_query_units,
	common_subsequence,
	ordered_overlap,
	overlap_bound_up_to,
	units,
)


def hit(article: str, title: str, score: float) -> Hit:
	return Hit(passage_id=f"{article}#0", article_id=article, score=score, title=title, heading="", text="")


def test_units_are_chinese_characters_and_whole_other_words():
	assert units("微粒贷 App 怎么还款？") == ["微", "粒", "贷", "app", "怎", "么", "还", "款"]


def test_common_subsequence_keeps_order():
	assert common_subsequence(list("更改绑定手机号"), list("如何更改绑定的手机号")) == 7
	assert common_subsequence(list("手机号绑定"), list("绑定手机号")) == 3
	assert common_subsequence([], list("abc")) == 0


def test_ordered_overlap_of_chinese_titles_only():
	q = chinese_query_units("收不到验证码怎么办")
	assert ordered_overlap(q, "收不到验证码，怎么办") == pytest.approx(1.0)
	assert 0 < ordered_overlap(q, "验证码错误") < 0.5
	assert ordered_overlap(q, "Reset a forgotten password") == 0.0
	assert chinese_query_units("how to reset my password") == []


def test_title_read_in_the_query_order_wins_a_tie():
	hits = [hit("SCRAMBLED", "号码手机的绑定更改", 5.0), hit("SAME-ORDER", "更改绑定的手机号码", 5.0)]
	results = rank_articles(hits, [], query_units=chinese_query_units("怎么更改绑定手机号码"))
	assert [r.article_id for r in results] == ["SAME-ORDER", "SCRAMBLED"]
	assert results[0].explain.title_match > results[1].explain.title_match > 0
	assert results[0].score == pytest.approx(5.0 * (1 + 2.0 * results[0].explain.title_match))


def test_a_much_better_text_match_still_wins_over_title_order():
	hits = [hit("TEXT", "打印机脱机", 20.0), hit("TITLE", "怎么更改绑定手机号码", 5.0)]
	results = rank_articles(hits, [], query_units=chinese_query_units("怎么更改绑定手机号码"))
	assert [r.article_id for r in results] == ["TEXT", "TITLE"]


def test_english_queries_and_titles_rank_on_text_alone():
	hits = [hit("A", "Change the phone number", 5.0), hit("B", "Phone number change", 5.1)]
	results = rank_articles(hits, [], query_units=chinese_query_units("change the phone number"))
	assert [r.article_id for r in results] == ["B", "A"]
	assert results[0].explain.title_match == 0.0


def test_a_passage_not_yet_read_may_have_a_short_title_that_reads_like_the_query():
	q = chinese_query_units("怎么更改绑定手机号码")  # 10 units
	assert overlap_bound_up_to(q, 50) == 1.0  # a 10-unit title may match it exactly
	assert overlap_bound_up_to(q, 5) == pytest.approx(2 * 5 / 15)
	assert overlap_bound_up_to(q, 0) == 0.0 and overlap_bound_up_to([], 50) == 0.0
	# ten read articles with long titles sharing nothing; below them the engine holds more passages
	# scoring 4.0, whose titles may have up to 50 units: one could score up to 4.0 x 3 = 12 > 10
	hits = [hit(f"A{i}", "打印机脱机的处理方法" * 3, 10.0) for i in range(10)]
	assert rank_articles(hits, [], limit=10, query_units=q, more_below=(4.0, 50)) is None
	assert rank_articles(hits, [], limit=10, query_units=q, more_below=(3.0, 50)) is not None

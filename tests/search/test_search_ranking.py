"""Ranking: bounded usage priors, smoothing, per-article grouping, explain, highlight."""

from __future__ import annotations

import pytest

from km_crm.search.backend import Hit
from km_crm.search.ranking import (
	PriorWeights,
	UsagePriors,
	group_hits,
	prior_boost,
	prior_signals,
	rank_articles,
	smoothed_ratio,
)

BEST = UsagePriors(helpful=10_000, not_helpful=0, ticket_links=10_000, clicks=10_000, impressions=10_000)
WORST = UsagePriors(helpful=0, not_helpful=10_000, ticket_links=0, clicks=0, impressions=10_000)


def hit(article, n, score, text="", title=""):
	return Hit(
		passage_id=f"{article}#{n}",
		article_id=article,
		score=score,
		title=title or article,
		heading="",
		text=text,
	)


def test_usage_cannot_bury_a_much_better_text_match():
	hits = [hit("STRONG", 0, 10.0), hit("POPULAR", 0, 6.5)]
	results = rank_articles(hits, [], priors={"STRONG": WORST, "POPULAR": BEST})
	assert [r.article_id for r in results] == ["STRONG", "POPULAR"]
	total, _ = prior_boost(BEST)
	assert total == pytest.approx(PriorWeights().max_total)
	assert prior_boost(WORST)[0] >= -PriorWeights().max_total


def test_usage_breaks_near_ties():
	hits = [hit("A", 0, 5.0), hit("B", 0, 4.9)]
	results = rank_articles(hits, [], priors={"B": UsagePriors(helpful=40, not_helpful=2, ticket_links=12)})
	assert [r.article_id for r in results] == ["B", "A"]


def test_no_usage_data_is_neutral():
	assert prior_boost(None)[0] == 0.0
	assert prior_boost(UsagePriors())[0] == pytest.approx(0.0)
	hits = [hit("A", 0, 5.0), hit("B", 0, 4.0)]
	assert [r.score for r in rank_articles(hits, [])] == [5.0, 4.0]


def test_helpful_ratio_is_smoothed_so_few_votes_count_little():
	one_vote = prior_signals(UsagePriors(helpful=1))["helpful"]
	many_votes = prior_signals(UsagePriors(helpful=90, not_helpful=10))["helpful"]
	assert 0 < one_vote < many_votes
	assert smoothed_ratio(0, 0, 2, 2) == 0.5


def test_ticket_links_are_log_damped_and_capped():
	signal = lambda n: prior_signals(UsagePriors(ticket_links=n))["tickets"]  # noqa: E731
	assert signal(0) == 0.0
	assert signal(10) - signal(0) > signal(1000) - signal(990)
	assert signal(10**9) == 1.0


def test_click_through_is_smoothed_and_bounded():
	ctr = lambda c, i: prior_signals(UsagePriors(clicks=c, impressions=i))["ctr"]  # noqa: E731
	assert ctr(1, 1) < ctr(60, 100)
	assert ctr(0, 1000) < 0 < ctr(500, 1000) <= 1.0


def test_passages_are_grouped_per_article_best_passage_first():
	hits = [hit("A", 0, 3.0), hit("B", 0, 5.0), hit("A", 1, 4.0), hit("A", 2, 2.0)]
	groups = {g.article_id: g for g in group_hits(hits)}
	assert groups["A"].best.passage_id == "A#1" and groups["A"].count == 3
	results = rank_articles(hits, [])
	assert [r.article_id for r in results] == ["B", "A"]  # many weak passages do not beat one strong
	assert [r.passage_id for r in results] == ["B#0", "A#1"]


def test_optional_passage_sum_bonus_is_small_and_capped():
	hits = [hit("A", 0, 3.0), hit("A", 1, 4.0), hit("A", 2, 2.0)]
	assert group_hits(hits, sum_weight=0.1)[0].bonus == pytest.approx(0.5)
	many = [hit("C", i, 1.0) for i in range(100)]
	assert group_hits(many, sum_weight=0.1)[0].text_score == pytest.approx(1.5)


def test_explain_adds_up():
	hits = [hit("A", 0, 4.0), hit("A", 1, 2.0)]
	r = rank_articles(hits, [], priors={"A": UsagePriors(helpful=30, not_helpful=1)})[0]
	e = r.explain
	assert e.text_score == pytest.approx(e.best_passage_score + e.other_passages_bonus)
	assert e.prior_boost == pytest.approx(sum(e.prior_contributions.values()))
	assert e.final_score == pytest.approx(e.text_score * (1 + e.prior_boost)) == pytest.approx(r.score)
	assert set(e.as_dict()) >= {"text_score", "prior_boost", "final_score", "prior_signals"}

"""Ranking after retrieval (pure): passages -> articles, bounded usage priors, explain, highlight.

article text score = best passage BM25 + PASSAGE_SUM_WEIGHT x (sum of its other retrieved passages),
the extra capped at PASSAGE_SUM_CAP x best.
Chinese titles: text score x (1 + TITLE_ORDER_WEIGHT x ordered overlap of query and title), see
title_match.py.
Hybrid retrieval (hybrid.py): when hits carry the cosine of their article's vector, the text score
becomes the cosine on a fixed scale + WORD_WEIGHT x min-max(word score) over the candidates (fuse).
final = text score x (1 + prior boost), where the prior boost is a sum of small, individually
bounded signals (smoothed helpful ratio, log-damped ticket links, smoothed click-through on similar
queries), clipped to +/- max_total. With max_total = 0.15 an article whose text score is 1.36x
another's can never be overtaken because of usage alone.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from km_crm.search.analysis import (
	QueryTerm,
	highlight_terms,
)
from km_crm.search.backend import Hit
from km_crm.search.highlight import highlight
from km_crm.search.hybrid import comparable_cosine
from km_crm.search.title_match import TITLE_ORDER_WEIGHT, ordered_overlap, overlap_bound, overlap_bound_up_to
from km_crm.search.vector_store import unpack

# Other matching passages of an article add PASSAGE_SUM_WEIGHT x their scores. Measured, any bonus lost
# relevance (every passage repeats the title, so a sum counts a title match several times): 0 = max.
PASSAGE_SUM_WEIGHT = 0.0
PASSAGE_SUM_CAP = 0.5
# Hybrid (fuse): the cosine read on a fixed scale from COSINE_FLOOR, one unit per COSINE_SPAN, plus
# WORD_WEIGHT x the min-max word score (benchmarks/relevance.py --semantic --word-weights: 0.25 against
# 0.15 gained within one language, insuranceqa_zh 5k 0.473 / 0.465, en and stackfaq equal, bq_faq_zh
# 0.215 / 0.212, and lost across languages, en->zh 0.311 / 0.329: the words a question shares with an
# answer in another language are mostly numbers and stray names).
COSINE_FLOOR = 0.75
COSINE_SPAN = 0.1
WORD_WEIGHT = 0.15
# An article only the vector half found is a candidate from this cosine on (comparable_cosine): on
# insuranceqa_zh the labelled answers found that way have 0.87 and more (5th percentile); the same
# answers in the other language 0.88 (0.80 + the allowance, lower quartile); on the demo, unrelated
# articles sit at 0.80-0.84.
VECTOR_ONLY_COSINE = 0.85


@dataclass(frozen=True)
class UsagePriors:
	"""Usage counts of one article (all optional; zeros are neutral)."""

	helpful: int = 0
	not_helpful: int = 0
	ticket_links: int = 0
	clicks: int = 0  # clicks on this article for similar queries
	impressions: int = 0  # times it was shown for similar queries


@dataclass(frozen=True)
class PriorWeights:
	helpful: float = 0.08
	tickets: float = 0.05
	ctr: float = 0.05
	max_total: float = 0.15
	helpful_alpha: float = 2.0  # Beta(alpha, beta) prior on the helpful ratio: 0.5 until votes come
	helpful_beta: float = 2.0
	ticket_saturation: int = 50  # links at which the ticket signal reaches its maximum
	ctr_base: float = 0.1  # expected click-through; the prior mean of the smoothed CTR
	ctr_strength: float = 20.0  # pseudo-impressions at ctr_base


def smoothed_ratio(successes: float, failures: float, alpha: float, beta: float) -> float:
	"""Posterior mean of a Beta(alpha, beta) prior: (s + alpha) / (s + f + alpha + beta)."""
	return (max(0.0, successes) + alpha) / (max(0.0, successes) + max(0.0, failures) + alpha + beta)


def prior_signals(priors: UsagePriors | None, w: PriorWeights = PriorWeights()) -> dict[str, float]:
	"""Each signal in [-1, 1] (tickets in [0, 1]); 0 means neutral."""
	if priors is None:
		return {"helpful": 0.0, "tickets": 0.0, "ctr": 0.0}
	ratio = smoothed_ratio(priors.helpful, priors.not_helpful, w.helpful_alpha, w.helpful_beta)
	prior_mean = w.helpful_alpha / (w.helpful_alpha + w.helpful_beta)
	helpful = (ratio - prior_mean) / (1 - prior_mean if ratio >= prior_mean else prior_mean)
	tickets = min(1.0, math.log1p(max(0, priors.ticket_links)) / math.log1p(w.ticket_saturation))
	impressions = max(priors.impressions, priors.clicks, 0)
	ctr = (max(0, priors.clicks) + w.ctr_base * w.ctr_strength) / (impressions + w.ctr_strength)
	ctr_signal = (ctr - w.ctr_base) / ((1 - w.ctr_base) if ctr >= w.ctr_base else w.ctr_base)
	clip = lambda x: max(-1.0, min(1.0, x))  # noqa: E731
	return {"helpful": clip(helpful), "tickets": clip(tickets), "ctr": clip(ctr_signal)}


def prior_boost(
	priors: UsagePriors | None, w: PriorWeights = PriorWeights()
) -> tuple[float, dict[str, float]]:
	"""(total boost clipped to +/- max_total, contribution of each signal)."""
	signals = prior_signals(priors, w)
	contributions = {
		"helpful": w.helpful * signals["helpful"],
		"tickets": w.tickets * signals["tickets"],
		"ctr": w.ctr * signals["ctr"],
	}
	total = max(-w.max_total, min(w.max_total, sum(contributions.values())))
	return total, contributions


@dataclass
class Explain:
	best_passage_score: float
	other_passages_bonus: float
	text_score: float
	title_match: float
	prior_signals: dict[str, float]
	prior_contributions: dict[str, float]
	prior_boost: float
	final_score: float
	matched_passages: int
	semantic: float | None = None  # cosine of the article's vector and the query's (hybrid)
	word_score: float | None = None  # the text score before fusion (hybrid)

	def as_dict(self) -> dict:
		return {
			"best_passage_score": round(self.best_passage_score, 4),
			"other_passages_bonus": round(self.other_passages_bonus, 4),
			"text_score": round(self.text_score, 4),
			"title_match": round(self.title_match, 4),
			"prior_signals": {k: round(v, 4) for k, v in self.prior_signals.items()},
			"prior_contributions": {k: round(v, 4) for k, v in self.prior_contributions.items()},
			"prior_boost": round(self.prior_boost, 4),
			"final_score": round(self.final_score, 4),
			"matched_passages": self.matched_passages,
			"semantic": None if self.semantic is None else round(self.semantic, 4),
			"word_score": None if self.word_score is None else round(self.word_score, 4),
		}


@dataclass
class ArticleResult:
	article_id: str
	title: str
	score: float
	passage_id: str
	heading: str
	section: str
	snippet_html: str  # HTML-escaped passage excerpt with <mark> around matched terms
	title_html: str
	lang: str = ""
	audience: str = ""
	modified: str = ""
	category_path: list[str] = field(default_factory=list)
	items: list[str] = field(default_factory=list)
	explain: Explain | None = None
	coverage: float | None = (
		None  # share of the query its best passage holds (confidence.py); None: not measured
	)
	semantic: float | None = None  # cosine of the article's vector and the query's (hybrid); None: none
	file: dict | None = None  # the best passage is in an attached file: where (documents.file_location)
	text: str = ""  # the best passage's plain text (what an assistant quotes)


@dataclass
class ArticleGroup:
	key: int  # Hit.group of its passages
	best: Hit
	best_score: float
	bonus: float
	count: int
	text_score: float = 0.0  # best_score + bonus, set by group_hits
	semantic: float | None = None  # the article's cosine (hybrid), from any of its hits
	word_score: float | None = None  # its text score before fusion (hybrid), set by fuse

	@property
	def article_id(self) -> str:
		return self.best.load().article_id


def group_hits(
	hits: Iterable[Hit], sum_weight: float = PASSAGE_SUM_WEIGHT, sum_cap: float = PASSAGE_SUM_CAP
) -> list[ArticleGroup]:
	"""One group per article, best passage kept; extra passages add a small, capped bonus.

	Groups come best first, equal scores by the best passage's stable tie key.
	"""
	groups: dict[int, ArticleGroup] = {}
	others: dict[int, float] = {}
	for hit in hits:
		group = groups.get(hit.group)
		if group is None:
			group = groups[hit.group] = ArticleGroup(hit.group, hit, hit.score, 0.0, 1)
			others[hit.group] = 0.0
		else:
			group.count += 1
			if (hit.score, -hit.tie) > (group.best_score, -group.best.tie):
				others[hit.group] += group.best_score
				group.best, group.best_score = hit, hit.score
			else:
				others[hit.group] += hit.score
		if hit.semantic is not None:
			group.semantic = hit.semantic
	for key, group in groups.items():
		group.bonus = min(sum_weight * others[key], sum_cap * group.best_score) if sum_weight else 0.0
		group.text_score = group.best_score + group.bonus
	return sorted(groups.values(), key=lambda g: (-g.text_score, g.best.tie))


PriorsSource = Mapping[str, UsagePriors] | Callable[[list[str]], Mapping[str, UsagePriors]] | None


def rank_articles(
	hits: list[Hit],
	query_terms: list[QueryTerm],
	priors: PriorsSource = None,
	limit: int = 10,
	weights: PriorWeights = PriorWeights(),
	sum_weight: float = PASSAGE_SUM_WEIGHT,
	query_units: list[str] | None = None,
	title_weight: float = TITLE_ORDER_WEIGHT,
	more_below: tuple[float, int | None] | None = None,
	coverage_of: Callable[[Hit], float] | None = None,
	word_weight: float = WORD_WEIGHT,
	query_lang: str = "",
	query_vector=None,
) -> list[ArticleResult] | None:
	"""Group passage hits per article, blend title order and bounded priors, highlight the best passage.

	query_units: title_match.chinese_query_units(query text); empty or None leaves titles out.
	priors: {article_id: UsagePriors}, or a loader called once with the candidate article ids.
	Only candidates that can still reach the top `limit` are read (Hit.load): an article whose best
	score, lifted by the most its title and priors could add, stays below `limit` others' least
	possible final score cannot change the answer.
	more_below: (score, most title units of any passage) bounding the passages the engine holds
	beyond `hits` (any of them may have a title of any length up to that); None when
	`hits` are all the candidates. Returns None when one of those could still reach the top `limit`
	(then ask the engine for more).
	coverage_of: measures ArticleResult.coverage of each result's best passage (None: not measured).
	Hits with `semantic` (hybrid retrieval) are all candidates: their text scores are fused (fuse);
	query_vector: the query's embedding, for passages with their own vector (fuse).
	"""
	max_boost = weights.max_total if priors else 0.0
	sum_factor = 1.0 + (PASSAGE_SUM_CAP if sum_weight else 0.0)
	groups = group_hits(hits, sum_weight)
	hybrid = any(g.semantic is not None for g in groups)
	bounds = _Bounds(
		len(groups) if hybrid else limit,
		title_weight,
		query_units or [],
		sum_factor * (1.0 + max_boost),
		max_boost,
	)
	candidates = _candidates(groups, bounds)
	if hybrid:
		candidates = fuse(candidates, word_weight, query_lang, query_vector)
	elif more_below is not None and not bounds.settled(*more_below):
		return None
	if callable(priors):  # read once, for the candidates only
		priors = priors([group.best.article_id for group, _, _ in candidates])
	priors = priors or {}
	scored = _blend_priors(candidates, priors, weights)
	return _results(scored[:limit], query_terms, priors, weights, coverage_of)


@dataclass
class _Bounds:
	"""What a candidate can still become: the `limit` largest least-possible final scores so far (a
	min-heap), and the most other passages, priors (`grow`) and a title can lift a score."""

	limit: int
	title_weight: float
	query_units: list[str]
	grow: float
	max_boost: float
	floor: list[float] = field(default_factory=list)
	lift: dict = field(default_factory=dict)  # title units -> the most that title can lift a score

	@property
	def full(self) -> bool:
		return len(self.floor) >= self.limit

	def title_lift(self, units) -> float:
		bound = self.lift.get(units)
		if bound is None:
			bound = self.lift[units] = 1.0 + self.title_weight * overlap_bound(self.query_units, units)
		return bound

	def admit(self, least: float) -> None:
		if len(self.floor) < self.limit:
			heapq.heappush(self.floor, least)
		elif least > self.floor[0]:
			heapq.heapreplace(self.floor, least)

	def settled(self, score: float, max_units: int | None) -> bool:
		"""Whether no passage beyond the hits (best score `score`, titles up to `max_units` units)
		can still reach the top `limit`."""
		best_possible = score * self.grow
		best_possible *= 1.0 + self.title_weight * overlap_bound_up_to(self.query_units, max_units or 0)
		return self.full and best_possible < self.floor[0]


def _candidates(groups: list[ArticleGroup], bounds: _Bounds) -> list[tuple[ArticleGroup, float, float]]:
	"""Phase 1: the groups that can still reach the top, read (Hit.load) with their title match:
	(group, text score, title match). Groups come by text score, so the first that cannot reach the
	top with the most any title could add ends the walk."""
	most_lift = 1.0 + (bounds.title_weight if bounds.query_units else 0.0)
	candidates = []
	for group in groups:
		if bounds.full and group.text_score * bounds.grow * most_lift < bounds.floor[0]:
			break  # no later group can reach the top either
		if (
			bounds.full
			and group.best_score * bounds.grow * bounds.title_lift(group.best.title_units) < bounds.floor[0]
		):
			continue
		hit = group.best.load()
		title_match = ordered_overlap(bounds.query_units, hit.title) if bounds.query_units else 0.0
		text_score = group.text_score * (1.0 + bounds.title_weight * title_match)
		bounds.admit(text_score * (1.0 - bounds.max_boost))
		candidates.append((group, text_score, title_match))
	return candidates


def fuse(
	candidates: list[tuple[ArticleGroup, float, float]],
	word_weight: float = WORD_WEIGHT,
	query_lang: str = "",
	query_vector=None,
) -> list[tuple]:
	"""Hybrid text scores: (cosine - COSINE_FLOOR) / COSINE_SPAN + word_weight x min-max(word score)
	over the candidates. The cosine is hybrid.comparable_cosine's (an answer in the other language
	gets an allowance) and is read on a fixed scale, so an article that is the nearest of a poor lot
	is not lifted to the top as a min-max would; a candidate without a vector counts at the floor.
	An article the words did not find at all needs a cosine of VECTOR_ONLY_COSINE. Keeps each word
	score on its group (ArticleGroup.word_score) for the explanation.
	A best passage with its own vector (a page of an attached file: the article's vector knows the
	article's text, not its files) counts with the nearer of the two cosines."""
	if query_vector is not None:
		for group, _s, _t in candidates:
			group.semantic = _nearer(group.semantic, passage_cosine(group.best, query_vector))
	if not any(g.semantic is not None for g, _s, _t in candidates):
		return candidates
	words = [score for _g, score, _t in candidates]
	low_word, high_word = min(words), max(words)
	fused = []
	for group, score, title_match in candidates:
		group.word_score = score
		cosine = comparable_cosine(group.semantic, group.best.lang, query_lang)
		if score <= 0 and (cosine is None or cosine < VECTOR_ONLY_COSINE):
			continue  # found by the vector half only, and not near enough to be worth showing
		meaning = max(0.0, ((COSINE_FLOOR if cosine is None else cosine) - COSINE_FLOOR) / COSINE_SPAN)
		word = (score - low_word) / (high_word - low_word) if high_word > low_word else 1.0
		fused.append((group, meaning + word_weight * word, title_match))
	return fused


def passage_cosine(hit: Hit, query_vector) -> float | None:
	"""The cosine of a passage's own vector and the query's (None when the passage has none)."""
	vector = unpack(hit.vector) if hit.vector else None
	if vector is None or vector.shape != query_vector.shape:
		return None
	norm = float(np.linalg.norm(vector))
	return float(np.dot(vector, query_vector)) / norm if norm else None


def _nearer(a: float | None, b: float | None) -> float | None:
	return a if b is None else b if a is None else max(a, b)


def _blend_priors(candidates, priors: Mapping[str, UsagePriors], weights: PriorWeights) -> list[tuple]:
	"""Phase 2: each candidate's final score, its text score lifted by its bounded usage priors, best
	first: (final, boost, contributions, group, text score, title match)."""
	scored = []
	for group, text_score, title_match in candidates:
		boost, contributions = (
			prior_boost(priors.get(group.best.article_id), weights) if priors else (0.0, {})
		)
		scored.append((text_score * (1.0 + boost), boost, contributions, group, text_score, title_match))
	scored.sort(key=lambda item: (-item[0], item[3].best.tie))
	return scored


def _results(
	scored: list[tuple],
	query_terms: list[QueryTerm],
	priors: Mapping[str, UsagePriors],
	weights: PriorWeights,
	coverage_of: Callable[[Hit], float] | None,
) -> list[ArticleResult]:
	"""Phase 3: the results as readers get them, highlighted, with the explanation of each score."""
	marks = frozenset(highlight_terms(query_terms))
	neutral = prior_signals(None, weights), prior_boost(None, weights)[1]  # an article with no usage
	results = []
	for final, boost, contributions, group, text_score, title_match in scored:
		hit = group.best
		usage = priors.get(hit.article_id)
		explain = Explain(
			best_passage_score=group.best_score,
			other_passages_bonus=group.bonus,
			text_score=text_score,
			title_match=title_match,
			prior_signals=prior_signals(usage, weights) if usage else dict(neutral[0]),
			prior_contributions=contributions or dict(neutral[1]),
			prior_boost=boost,
			final_score=final,
			matched_passages=group.count,
			semantic=group.semantic,
			word_score=group.word_score,
		)
		results.append(
			ArticleResult(
				article_id=hit.article_id,
				title=hit.title,
				score=final,
				passage_id=hit.passage_id,
				heading=hit.heading,
				section=hit.section,
				snippet_html=highlight(hit.text, marks),
				title_html=highlight(hit.title, marks, max_chars=10_000),
				lang=hit.lang,
				audience=hit.audience,
				modified=hit.modified,
				category_path=list(hit.category_path),
				items=list(hit.items),
				explain=explain,
				coverage=coverage_of(hit) if coverage_of else None,
				semantic=group.semantic,
				file=hit.file,
				text=hit.text,
			)
		)
	return results

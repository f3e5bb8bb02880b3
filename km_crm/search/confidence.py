"""Which suggestions are worth showing (pure): a cut-off for articles offered unasked.

A search someone typed shows every match, best first: they asked, and the page says how many. A
suggestion (the ticket panel, the customers' ticket forms) is offered unasked, so a weak match is
noise, and with thousands of articles weak matches are everywhere. A suggested article must pass
two tests:

- absolute: its best passage (with the title) holds at least MIN_COVERAGE of what the query asks,
  each query term weighted by its query weight x (1 + its BM25 idf): a rare word counts more than a
  common one, a word the knowledge base never uses counts most (word pairs left out, they only
  reward order). The share does not depend on the size of the index or the length of the ticket,
  where a raw BM25 score depends on both;
- relative: its score is at least MIN_RELATIVE_SCORE x the best suggestion's.

How the constants were chosen: benchmarks/suggest.py --sweep --half a (seed 0) on the dev queries
of insuranceqa_zh, insuranceqa_en and bq_faq_zh: each query wrapped in a noisy ticket ("ticket")
and as typed ("form") is answerable; a seeded sample of 400 is asked again with its relevant
articles deleted from the index (unanswerable). The aim was at most 25% of unanswerable tickets
with any suggestion while answerable ones keep at least 95% of their MRR@5. On these sets no
threshold reaches the first without losing far more than 5%: a question whose labelled answer is
gone still finds answers about the same product and words (27,000 insurance answers in a dozen
domains; bank FAQ intents split over several articles), and a lexical score cannot tell them
apart (at 25% unanswerable shown, MRR@5 keeps 35-60% on every set and signal tried: coverage,
raw score, best/second, best/mean of the next nine). So the constants are the strictest that keep
at least 95% of MRR@5 on every set and channel (the binding one: bq_faq_zh tickets, where a
one-line FAQ title cannot cover a long ticket: coverage 0.15 kept 90%, 0.1 keeps 96%; relative 0.6
kept 92%). They remove what a reader of a small knowledge base sees as noise: on the demo, articles
and resolved tickets that share one or two words with a ticket ("fails", "submitted", "old") hold
0.04-0.1 of it, or score 0.05-0.35 of the best.
Confirmed on all dev queries (figures in benchmarks/suggest.py's docstring).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from km_crm.search.analysis import SHINGLE_JOIN, QueryTerm
from km_crm.search.hybrid import comparable_cosine

MIN_COVERAGE = 0.1
MIN_RELATIVE_SCORE = 0.5
# Hybrid search: an article with a vector passes the absolute test by its meaning alone, its
# comparable cosine with the question (hybrid.comparable_cosine) at least this, by the question's
# language: the model puts Chinese texts nearer each other than English ones. Measured on the 5k
# insurance subsets (benchmarks/suggest.py --semantic --sweep --foreign): Chinese at 0.90 keeps 98% of
# MRR@5 and shows 10% of bank questions (bq_faq_zh, nothing here answers them; 0.86: 98%); English
# at 0.87 keeps 100% and shows 5% of web-app questions (stackfaq_en; 0.86: 21%). Words alone cannot
# tell those apart: coverage passed 100% of them.
MIN_SEMANTIC = {"zh": 0.90, "en": 0.87}

T = TypeVar("T")


def idf(doc_freq: int, passages: int) -> float:
	"""BM25's idf (as Lucene and tantivy compute it)."""
	return math.log(1.0 + (passages - doc_freq + 0.5) / (doc_freq + 0.5))


def term_weights(
	terms: Iterable[QueryTerm], doc_freqs: Mapping[str, int], passages: int
) -> tuple[dict[str, float], dict[str, float]]:
	"""({asked term: weight}, {synonym or correction: weight}), weight = query weight x (1 + idf).

	Word pairs are left out. Every asked word counts, a rare one more (the 1 keeps a word that most
	passages of a small index hold from counting for nothing), and a word no passage holds counts
	most: an article sharing two words of a ticket about something the knowledge base never
	mentions does not cover it. A misspelt word's correction, among the synonyms, makes up for it."""
	passages = max(passages, max(doc_freqs.values(), default=0), 1)
	asked: dict[str, float] = {}
	extra: dict[str, float] = {}
	for qt in terms:
		df = doc_freqs.get(qt.term, 0)
		if SHINGLE_JOIN in qt.term or (qt.synonym and df <= 0):
			continue
		(extra if qt.synonym else asked)[qt.term] = qt.weight * (1.0 + idf(df, passages))
	return asked, extra


def coverage(asked: Mapping[str, float], extra: Mapping[str, float], present: Iterable[str] | set) -> float:
	"""Share (0..1) of the asked weight that a text holding the terms `present` matches."""
	total = sum(asked.values())
	if total <= 0:
		return 0.0
	present = present if isinstance(present, set | frozenset) else set(present)
	found = sum(w for t, w in asked.items() if t in present) + sum(
		w for t, w in extra.items() if t in present
	)
	return min(1.0, found / total)


def min_semantic_for(query_lang: str) -> float:
	return MIN_SEMANTIC.get(query_lang, MIN_SEMANTIC["en"])


def meaning_for(query_lang: str) -> callable:
	"""A result's cosine as the cut-off reads it (hybrid.comparable_cosine: an article in another
	language than the question's gets an allowance)."""

	def meaning(r) -> float | None:
		return comparable_cosine(getattr(r, "semantic", None), getattr(r, "lang", "") or "", query_lang)

	return meaning


def confident(
	results: Sequence[T],
	score: callable = lambda r: r.score,
	cover: callable = lambda r: r.coverage,
	min_coverage: float = MIN_COVERAGE,
	min_relative: float = MIN_RELATIVE_SCORE,
	meaning: callable = lambda r: getattr(r, "semantic", None),
	min_semantic: float = MIN_SEMANTIC["en"],
) -> list[T]:
	"""The results (best first) worth suggesting: score >= min_relative x the best score, and near
	enough: a result with a cosine (hybrid search) by cosine >= min_semantic; one without, by coverage
	>= min_coverage (a result with no coverage, None: not measured, passes)."""
	if not results:
		return []
	best = max(score(r) for r in results)

	def near(r) -> bool:
		m = meaning(r)
		if m is not None:
			return m >= min_semantic
		c = cover(r)
		return c is None or c >= min_coverage

	return [r for r in results if score(r) >= min_relative * best and near(r)]


def figure(cosine: float | None, cover: float | None, query_lang: str) -> float:
	"""How sure an answer is, 0 to 1, for a caller that decides whether to answer (an assistant): 0.5
	at the suggestion cut-off, 1 from 0.05 of cosine above it (0.1 of coverage without a cosine),
	0 from 0.05 below. `cosine`: comparable_cosine's; `cover`: coverage (None: not measured, 0.5)."""
	if cosine is not None:
		value = 0.5 + (cosine - min_semantic_for(query_lang)) / 0.1
	elif cover is not None:
		value = 0.5 + (cover - MIN_COVERAGE) / (2 * MIN_COVERAGE)
	else:
		value = 0.5
	return round(min(1.0, max(0.0, value)), 3)

"""The search entry points shared by the app and the benchmarks (pure: no Frappe).

query text -> analysis (terms, synonyms) -> backend (BM25 on passages, permission filters inside the
engine query) -> ranking (per-article grouping, bounded usage priors, highlight).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from km_crm.search import confidence, embedding, hybrid
from km_crm.search.analysis import analyze, analyze_query, detect_language
from km_crm.search.backend import Filters, SearchBackend, SearchQuery
from km_crm.search.documents import article_to_passages, iso_modified
from km_crm.search.ranking import WORD_WEIGHT, ArticleResult, PriorsSource, rank_articles
from km_crm.search.spelling import with_corrections
from km_crm.search.title_match import chinese_query_units

PASSAGES_PER_RESULT = 5  # candidates: the best max(MIN_PASSAGES, 5 x limit) passages
MIN_PASSAGES = 50
FIRST_ARTICLES_PER_RESULT = 2  # passages for about this many articles are asked for first
MAX_LIMIT = 100


def build_query(
	text: str | None,
	filters: Filters | None = None,
	*,
	synonyms=None,
	limit: int = 10,
	**filter_values,
) -> SearchQuery:
	"""The engine query for a user: terms plus the filters they are allowed (see search_articles)."""
	limit = max(0, min(int(limit), MAX_LIMIT))
	return SearchQuery(
		terms=analyze_query(text, synonyms=synonyms),
		filters=_filters(filters, filter_values),
		limit=max(MIN_PASSAGES, limit * PASSAGES_PER_RESULT) if limit else 0,
	)


def _filters(filters: Filters | None, values: dict) -> Filters:
	"""`filters`, or the same made of plain keyword values (audiences=..., statuses=..., ...)."""
	if values:
		if filters is not None:
			raise TypeError("give search either Filters or filter keywords, not both")
		return Filters.of(**values)
	if filters is None:
		raise TypeError("search needs filters: at least the audiences the reader may see")
	return filters


def search_articles(
	backend: SearchBackend,
	text: str | None,
	filters: Filters | None = None,
	*,
	synonyms=None,
	priors: PriorsSource = None,
	limit: int = 10,
	measure_coverage: bool = False,
	semantic: bool = False,
	word_weight: float = WORD_WEIGHT,
	question_means: Mapping | None = None,
	**filter_values,
) -> list[ArticleResult]:
	"""Best articles for `text` that a reader under `filters` may see, best first.

	`filters`: a backend.Filters, or its fields as keywords (audiences=..., roles=..., lang=...,
	category=..., items=..., scopes=...; see Filters.of). Never raises on odd query text (syntax
	characters, empty, very long): returns [] when nothing searchable remains. `synonyms`:
	{"term": [...]} or [[...], ...] groups, expanded at query time. `priors`: {article_id:
	UsagePriors}, or a callable taking the candidate article ids and returning that mapping; None
	keeps ranking purely textual. `measure_coverage`: fill ArticleResult.coverage (one more look-up
	of the query's document frequencies). `semantic`: hybrid retrieval (hybrid.py) when the engine
	holds article vectors and this machine can embed the query; `word_weight`: ranking.fuse's;
	`question_means`: {lang: question_means.LanguageMean} of the site's questions, which lets a
	question find answers in the other language.
	"""
	query = build_query(text, _filters(filters, filter_values), synonyms=synonyms, limit=limit)
	if not query.terms or not query.limit:
		return []
	query = corrected(backend, query)
	units = chinese_query_units(text)
	stats = backend.stats()
	coverage_of = _coverage_measure(backend, query, stats.passages) if measure_coverage else None
	vector = query_vector(backend, text) if semantic else None
	if vector is not None:
		lang = detect_language(text or "")
		mean = (question_means or {}).get(lang)
		return rank_articles(
			hybrid.retrieve(backend, replace(query, vector=vector), lang, mean),
			query.terms,
			priors=priors,
			limit=limit,
			query_units=units,
			coverage_of=coverage_of,
			word_weight=word_weight,
			query_lang=lang,
			query_vector=vector,
		)
	wanted = min(query.limit, math.ceil(FIRST_ARTICLES_PER_RESULT * limit * stats.passages_per_article))
	if units and stats.max_title_units:
		# a Chinese title can lift any passage up to 1 + TITLE_ORDER_WEIGHT times: a short first
		# list almost never settles the answer, so all candidates are asked for at once
		wanted = query.limit
	while True:
		# the engine scores fewer documents for a shorter list; the rest of the candidates is asked
		# for only when a passage beyond the first ones could still reach the answer
		hits = backend.search(replace(query, limit=wanted))
		more = None
		if len(hits) == wanted < query.limit:
			more = (hits[-1].score, stats.max_title_units if units else 0)
		results = rank_articles(
			hits,
			query.terms,
			priors=priors,
			limit=limit,
			query_units=units,
			more_below=more,
			coverage_of=coverage_of,
		)
		if results is not None:
			return results
		wanted = query.limit


def query_vector(backend: SearchBackend, text: str | None):
	"""The query's embedding when hybrid retrieval can run: the engine holds vectors and the model
	loads here; else None (lexical)."""
	store = backend.vectors()
	if store is None or not embedding.available() or not store.count():
		return None
	return embedding.embed_query(text or "")


def suggest_articles(
	backend: SearchBackend, text: str | None, filters: Filters | None = None, *, limit: int = 5, **options
) -> list[ArticleResult]:
	"""Articles worth suggesting unasked for `text` (a ticket, a customer's ticket form): the best of
	search_articles (same filters and options) that pass confidence.confident's cut-off. May be empty."""
	results = search_articles(backend, text, filters, limit=limit, measure_coverage=True, **options)
	lang = detect_language(text or "")
	return confidence.confident(
		results, meaning=confidence.meaning_for(lang), min_semantic=confidence.min_semantic_for(lang)
	)


def _coverage_measure(backend: SearchBackend, query: SearchQuery, passages: int):
	"""hit -> confidence.coverage of its title, heading and text for this query."""
	asked, extra = confidence.term_weights(
		query.terms, backend.doc_freqs([t.term for t in query.terms]), passages
	)

	def measure(hit) -> float:
		return confidence.coverage(asked, extra, set(analyze(f"{hit.title}\n{hit.heading}\n{hit.text}")))

	return measure


def count_articles(
	backend: SearchBackend, text: str | None, filters: Filters | None = None, **options
) -> int:
	"""How many articles match, under exactly the same permission filters as search_articles
	(options: synonyms, or the filters' fields as keywords)."""
	query = build_query(text, filters, **options)
	return backend.count(corrected(backend, query)) if query.terms else 0


def corrected(backend: SearchBackend, query: SearchQuery) -> SearchQuery:
	"""The query plus corrections of misspelt words the index has never seen (see spelling.py)."""
	terms = with_corrections(query.terms, backend.doc_freqs, backend.neighbour_freqs)
	return query if terms is query.terms else replace(query, terms=terms)


def index_articles(backend: SearchBackend, articles: Iterable[dict], batch_size: int = 500) -> int:
	"""Index (replace) articles given as plain dicts (see documents.article_to_passages)."""
	written, batch = 0, []
	for article in articles:
		batch.extend(article_to_passages(article))
		if len(batch) >= batch_size:
			written += backend.index(batch)
			batch = []
	if batch:
		written += backend.index(batch)
	return written


@dataclass
class ReconcilePlan:
	to_index: list[str] = field(default_factory=list)  # missing from the index or stale
	to_delete: list[str] = field(default_factory=list)  # indexed but no longer searchable at source


def plan_reconcile(source_versions: Mapping[str, str], indexed_versions: Mapping[str, str]) -> ReconcilePlan:
	"""Compare {article: modified} at the source with what the index holds."""
	plan = ReconcilePlan()
	for article_id, modified in source_versions.items():
		if indexed_versions.get(article_id) != iso_modified(modified):
			plan.to_index.append(article_id)
	plan.to_delete = [a for a in indexed_versions if a not in source_versions]
	plan.to_index.sort()
	plan.to_delete.sort()
	return plan


def reconcile(
	backend: SearchBackend,
	source_versions: Mapping[str, str],
	load_article: Callable[[str], dict | None],
	batch_size: int = 100,
) -> ReconcilePlan:
	"""Repair the index: (re)index missing/stale articles, delete ones gone from the source."""
	source = {k: iso_modified(v) for k, v in source_versions.items()}
	plan = plan_reconcile(source, backend.indexed_versions())
	if plan.to_delete:
		backend.delete(plan.to_delete)
	for i in range(0, len(plan.to_index), batch_size):
		articles = [a for a in (load_article(x) for x in plan.to_index[i : i + batch_size]) if a]
		index_articles(backend, articles)
	return plan

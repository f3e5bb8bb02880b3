"""Hybrid retrieval (pure: no Frappe): the engine's word half (BM25 passages) and its vector half.

The vector half takes the articles whose vectors are nearest the query's, asks the engine which of
them the reader may see (the same filters as the word half, applied in the engine: lead_passages),
and adds each allowed article's opening passage with score 0. It does the same with the parts of
attached files (pages) whose own vectors are nearest (part_vectors, part_passages): an article the
words did not find is then as near as its nearest page, and shown by that page. Every hit carries
`semantic`, the cosine of its article's vector (None when the article has no vector yet: it is found
by its words only). Ranking fuses the two (ranking.fuse).

When the nearest articles are mostly ones the reader may not see (a customer among internal
articles), the look is widened, up to the whole store, until SEMANTIC_ARTICLES allowed ones are found.
"""

from __future__ import annotations

from km_crm.search.backend import (
	Filters,
	Hit,
	SearchBackend,
	SearchBackendError,
	SearchQuery,
	split_part_vector_key,
)
from km_crm.search.documents import part_key
from km_crm.search.question_means import LanguageMean, hub_corrections, levels_of

SEMANTIC_ARTICLES = 100  # articles the vector half adds to the candidates
PART_NEAREST = 100  # parts of attached files (pages) the vector half looks at
WIDEN = 8  # each further look asks this many times more articles
# The model puts a text nearer another in its own language: the same answer in the other language
# has a cosine about this much lower (insuranceqa, 500 questions each way, every answer in both
# languages: 0.093 lower for Chinese questions, 0.085 for English ones; the best unrelated answer
# 0.090 / 0.072; benchmarks/cross_language.py). Added back before cosines are compared.
CROSS_LANGUAGE_ALLOWANCE = 0.08


def comparable_cosine(cosine: float | None, article_lang: str, query_lang: str) -> float | None:
	"""The cosine as ranking and the suggestion cut-off compare it: an article in another language
	than the question's gets CROSS_LANGUAGE_ALLOWANCE."""
	if cosine is None:
		return None
	if article_lang and query_lang and article_lang != query_lang:
		return cosine + CROSS_LANGUAGE_ALLOWANCE
	return cosine


def retrieve(
	backend: SearchBackend,
	query: SearchQuery,
	query_lang: str = "",
	question_mean: LanguageMean | None = None,
) -> list[Hit]:
	"""The word half's passages plus the vector half's articles, each hit with its `semantic`.
	`question_mean`: where this site's questions in `query_lang` sit (question_means.py); with it, an
	answer in another language has its cosine corrected for how near it is to every such question."""
	hits = backend.search(query) if query.terms else []
	try:
		store = backend.vectors() if query.vector is not None else None
		total = store.count() if store is not None else 0
		if not total:
			return hits
		near, allowed = _allowed_nearest(backend, query, store, total)
		cosines = {group: cosine for _a, group, cosine in near}
		missing = {h.group for h in hits} - cosines.keys()
		if missing:
			cosines.update(store.similarities(query.vector, missing))
		pages = _nearest_parts(backend, query)
	except SearchBackendError:
		return hits  # the vector half failed (a slow Elasticsearch script): the words still answer
	seen = {h.group for h in hits}
	for group, (_hit, cosine) in pages.items():
		# an article the words did not find is as near as its nearest page (a manual's page in an
		# article about something else); one they found is read at its best passage (ranking.fuse)
		if group not in seen:
			cosines[group] = max(cosine, cosines.get(group, cosine))
	# an article the words did not find is shown by its nearest page, else by its opening
	found = [hit for group, (hit, _c) in pages.items() if group not in seen]
	found += [hit for hit in allowed if hit.group not in seen and hit.group not in pages]
	hits.extend(found)
	for hit in hits:
		hit.semantic = cosines.get(hit.group)
	if question_mean is not None and query_lang:
		_correct_other_languages(store, hits, query_lang, question_mean)
	return hits


def _correct_other_languages(store, hits: list[Hit], query_lang: str, mean: LanguageMean) -> None:
	"""Other-language hits' cosines less their hub correction (question_means.hub_corrections)."""
	langs = {h.group: h.lang for h in hits if h.semantic is not None and h.lang and h.lang != query_lang}
	unit, norm = mean.unit()
	if not langs or not norm:
		return
	try:
		# the store reads cosines with the unit mean; x norm gives mean . unit article vector
		closeness = {g: c * norm for g, c in store.similarities(unit, langs).items()}
	except SearchBackendError:
		return
	corrections = hub_corrections(closeness, langs, mean.levels)
	for hit in hits:
		if hit.group in corrections:
			hit.semantic = max(-1.0, min(1.0, hit.semantic - corrections[hit.group]))


def article_levels(backend: SearchBackend, mean: LanguageMean, batch: int = 500) -> dict[str, float]:
	"""{article language: average closeness of the engine's article vectors to the mean} (the nightly
	job stores it with the mean: LanguageMean.levels)."""
	store = backend.vectors()
	if store is None or not store.count():
		return {}
	unit, norm = mean.unit()
	ids = list(store.versions())
	closeness, langs = [], []
	everything = Filters(audiences=None, statuses=None, roles=None)
	for start in range(0, len(ids), batch):
		leads = backend.lead_passages(everything, ids[start : start + batch])
		near = store.similarities(unit, [h.group for h in leads])
		for hit in leads:
			if hit.group in near:
				closeness.append(near[hit.group] * norm)
				langs.append(hit.lang)
	return levels_of(closeness, langs)


def _nearest_parts(backend: SearchBackend, query: SearchQuery) -> dict[int, tuple[Hit, float]]:
	"""{article group: (first passage of its nearest part, the part's cosine)} of the attached files'
	parts (pages, sheets' rows) whose own vectors are among the PART_NEAREST nearest the query, for
	the parts the reader may see (the engine filters them as it filters the words' passages)."""
	store = backend.part_vectors()
	if store is None or not store.count():
		return {}
	wanted: dict[tuple[str, str], float] = {}
	for key, _group, cosine in store.nearest(query.vector, PART_NEAREST):
		article, part = split_part_vector_key(key)
		if article and part:
			wanted.setdefault((article, part), cosine)
	best: dict[int, tuple[Hit, float]] = {}
	for hit in backend.part_passages(query.filters, list(wanted)) if wanted else ():
		cosine = wanted.get((hit.article_id, part_key(hit.file or {})))
		if cosine is not None and cosine > best.get(hit.group, (None, -2.0))[1]:
			best[hit.group] = (hit, cosine)
	return best


def _allowed_nearest(backend: SearchBackend, query: SearchQuery, store, total: int):
	"""(nearest articles looked at, lead passages of the allowed ones among them, nearest first)."""
	k = SEMANTIC_ARTICLES
	while True:
		asked = min(k, total)
		near = store.nearest(query.vector, asked)
		allowed = backend.lead_passages(query.filters, [article for article, _g, _c in near])
		# enough allowed, or the whole store looked at (it may have shrunk since it was counted)
		if len(allowed) >= SEMANTIC_ARTICLES or asked >= total or len(near) < asked:
			break
		k *= WIDEN
	rank = {group: i for i, (_a, group, _c) in enumerate(near)}
	allowed.sort(key=lambda h: rank.get(h.group, len(rank)))
	return near, allowed[:SEMANTIC_ARTICLES]

"""Hybrid retrieval (pure: no Frappe): the engine's word half (BM25 passages) and its vector half.

The vector half takes the articles whose vectors are nearest the query's, asks the engine which of
them the reader may see (the same filters as the word half, applied in the engine: lead_passages),
and adds each allowed article's opening passage with score 0. Every hit then carries `semantic`,
the cosine of its article's vector (None when the article has no vector yet: it is found by its
words only). Ranking fuses the two (ranking.fuse).

When the nearest articles are mostly ones the reader may not see (a customer among internal
articles), the look is widened, up to the whole store, until SEMANTIC_ARTICLES allowed ones are found.
"""

from __future__ import annotations

from km_crm.search.backend import Hit, SearchBackend, SearchBackendError, SearchQuery

SEMANTIC_ARTICLES = 100  # articles the vector half adds to the candidates
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


def retrieve(backend: SearchBackend, query: SearchQuery) -> list[Hit]:
	"""The word half's passages plus the vector half's articles, each hit with its `semantic`."""
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
	except SearchBackendError:
		return hits  # the vector half failed (a slow Elasticsearch script): the words still answer
	seen = {h.group for h in hits}
	for hit in allowed:
		if hit.group not in seen:
			seen.add(hit.group)
			hits.append(hit)
	for hit in hits:
		hit.semantic = cosines.get(hit.group)
	return hits


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

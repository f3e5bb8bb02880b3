"""The requests the Elasticsearch backend sends and the answers it reads (pure: no Frappe, and no
`elasticsearch` import, so they are tested without a server).

- Index layout: mapping_properties, index_body, outdated_indices, alias_name.
- Documents and bulk actions: passage_source, manifest_source, passage_action, manifest_action,
  manifest_delete_action, batches, failed_ids, article_of.
- Queries: filter_clauses (permission and scope filters), build_query_dsl, build_search_body,
  count_body, stats_body, display_body, manifests_body, stale_passages.
- Word counts and typo neighbours: term_statistics_body, doc_freqs_from_term_vectors,
  term_suggest_body, neighbours_from_suggest.
- Answers: hit_values, display_from_source.
- The vector half: lead_passages_body (the allowed opening passages of given articles) and the
  article vectors' own index: vectors_index_name, vectors_index_body, vector_action,
  vector_versions_body, nearest_body, similarities_body, nearest_from_response, group_key.

The calls, retries, caches and the alias swap are elastic_backend.py's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from km_crm.search.backend import (
	COUNTED_FIELDS,
	INDEX_SCHEMA,
	KIND_LEAD,
	KIND_PART,
	ROLE_ANY,
	TEXT_FIELDS,
	Filters,
	SearchQuery,
	category_keys,
	filter_terms,
	passage_kinds,
	scope_key,
	tie_key,
)
from km_crm.search.documents import Passage, display_data, passage_terms
from km_crm.search.spelling import MIN_LENGTH, is_one_edit
from km_crm.search.title_match import title_unit_count

_KEYWORDS = (
	"id",
	"article_id",
	"kind",
	"gen",
	"schema",
	"modified",
	"lang",
	"audience",
	"status",
	"roles",
	"category",
	"items",
	"scope",
)
_ONE_VALUE = ("lang", "category")  # filters of one value by nature: a term query
_HIT_FIELDS = ("id", "article_id", "modified", "title_units")
NEIGHBOURS = 20  # typo neighbours asked for per word and field, the most common first


def _site_name(prefix: str | None) -> str:
	clean = re.sub(r"[^a-z0-9_-]+", "-", (prefix or "km").lower()).strip("-_+.")
	return clean or "km"


def alias_name(prefix: str | None) -> str:
	"""A valid, lower-case index alias for a site prefix (e.g. the site name)."""
	return f"{_site_name(prefix)}-km-passages"


def mapping_properties() -> dict:
	return {
		**{name: {"type": "keyword"} for name in _KEYWORDS},
		"title_units": {"type": "integer"},
		**{
			f"{name}_t": {"type": "text", "analyzer": "km_terms", "index_options": "freqs"}
			for name in TEXT_FIELDS
		},
		"data": {"type": "object", "enabled": False},
	}


def index_body(replicas: str = "0-1") -> dict:
	"""settings + mappings for a physical passages index."""
	return {
		"settings": {
			"number_of_shards": 1,
			"auto_expand_replicas": replicas,
			"analysis": {"analyzer": {"km_terms": {"type": "custom", "tokenizer": "whitespace"}}},
		},
		"mappings": {
			"dynamic": "strict",
			"_meta": {"km_schema": INDEX_SCHEMA},
			# the analysed terms are indexed, not kept: every hit's stored source stays small
			"_source": {"excludes": [f"{name}_t" for name in TEXT_FIELDS]},
			"properties": mapping_properties(),
		},
	}


def outdated_indices(mappings: dict) -> list[str]:
	"""Physical indices (from a get_mapping response) whose layout is older than INDEX_SCHEMA."""
	return sorted(
		name
		for name, body in mappings.items()
		if ((body.get("mappings") or {}).get("_meta") or {}).get("km_schema") != INDEX_SCHEMA
	)


def passage_source(p: Passage, gen: str) -> dict:
	terms = passage_terms(p)
	return {
		"id": p.id,
		"article_id": p.article_id,
		# an article's opening passage is also its lead: what the vector half shows of the article
		"kind": passage_kinds(p),
		"gen": gen,
		"modified": p.modified,
		"lang": p.lang,
		"audience": p.audience,
		"status": p.status,
		"roles": list(p.roles) or [ROLE_ANY],
		"category": category_keys(p.category_path),
		"items": list(p.items),
		"scope": list(p.scope),
		"title_units": title_unit_count(p.title),
		**{f"{name}_t": terms[name] for name in TEXT_FIELDS},
		"data": display_data(p),
	}


def manifest_source(article_id: str, modified: str, gen: str) -> dict:
	return {
		"id": f"{article_id}#manifest",
		"article_id": article_id,
		"kind": "m",
		"gen": gen,
		"schema": INDEX_SCHEMA,
		"modified": modified,
	}


def term_statistics_body(terms: list[str], fields: Iterable[str] = COUNTED_FIELDS) -> dict:
	"""A _termvectors request for an artificial document holding `terms` in every text field: the
	answer gives each term's document frequency per field (absent when no document has it)."""
	text = " ".join(terms)
	fields = list(fields)
	return {
		"doc": {f"{name}_t": text for name in fields},
		"fields": [f"{name}_t" for name in fields],
		"term_statistics": True,
		"field_statistics": False,
		"positions": False,
		"offsets": False,
		"payloads": False,
	}


def term_suggest_body(words: list[str], fields: Iterable[str] = COUNTED_FIELDS) -> dict:
	"""A `suggest` section asking each text field for the index terms one edit from each word, the
	most common first (Elasticsearch's term suggester: a letter inserted, deleted or replaced, or two
	neighbours swapped, anywhere in the word, as in spelling.one_edit_away)."""
	text = " ".join(words)
	return {
		name: {
			"text": text,
			"term": {
				"field": f"{name}_t",
				"suggest_mode": "always",
				"max_edits": 1,
				"prefix_length": 0,
				"min_word_length": MIN_LENGTH,
				"accuracy": 0.0,
				"string_distance": "damerau_levenshtein",
				"sort": "frequency",
				"size": NEIGHBOURS,
				"max_inspections": 50,  # candidates kept before sorting by frequency: all of them
			},
		}
		for name in fields
	}


def neighbours_from_suggest(response: dict, words: list[str]) -> dict[str, dict[str, int]]:
	"""{word: {neighbour: most passages holding it in any one text field}} from a term_suggest_body
	answer (only spelling's neighbours: letters a-z, one edit away)."""
	found: dict[str, dict[str, int]] = {w: {} for w in words}
	for entries in (response.get("suggest") or {}).values():
		for entry in entries:
			counts = found.get(entry.get("text"))
			if counts is None:
				continue
			for option in entry.get("options") or ():
				term, n = option.get("text"), int(option.get("freq") or 0)
				if term and is_one_edit(entry["text"], term) and n > counts.get(term, 0):
					counts[term] = n
	return found


def doc_freqs_from_term_vectors(response: dict, terms: list[str]) -> dict[str, int]:
	"""{term: most passages holding it in any one text field} from a _termvectors answer."""
	counts = dict.fromkeys(terms, 0)
	for field in (response.get("term_vectors") or {}).values():
		for term, stats in (field.get("terms") or {}).items():
			if term in counts:
				counts[term] = max(counts[term], int(stats.get("doc_freq") or 0))
	return counts


def filter_clauses(filters: Filters) -> list[dict] | None:
	"""ES filter clauses for the permission/scope filters; None when nothing can match."""
	terms = filter_terms(filters)
	if terms is None:
		return None
	clauses: list[dict] = [{"term": {"kind": "p"}}]
	for field, values in terms:
		if field in _ONE_VALUE:
			clauses.append({"term": {field: values[0]}})
		else:
			clauses.append({"terms": {field: list(values)}})
	if filters.scopes is not None:
		alternatives = [
			{
				"bool": {
					"filter": [
						{"terms": {"scope": [scope_key(f, v) for v in values]}} for f, values in scope.items()
					]
				}
			}
			for scope in filters.scopes
		]
		clauses.append({"bool": {"should": alternatives, "minimum_should_match": 1}})
	return clauses


def build_query_dsl(query: SearchQuery, weights: dict[str, float]) -> dict | None:
	"""bool query: BM25 sum over term clauses (weight x field weight) + filters (no scoring)."""
	filters = filter_clauses(query.filters)
	if filters is None or not query.terms:
		return None
	should = [
		{"term": {f"{field}_t": {"value": qt.term, "boost": round(qt.weight * fw, 6)}}}
		for qt in query.terms
		for field, fw in weights.items()
	]
	return {"bool": {"must": [{"bool": {"should": should, "minimum_should_match": 1}}], "filter": filters}}


def build_search_body(query: SearchQuery, weights: dict[str, float], size: int | None = None) -> dict | None:
	"""Keyword arguments of client.search (both client majors accept these)."""
	dsl = build_query_dsl(query, weights)
	if dsl is None:
		return None
	return {
		"query": dsl,
		# twice the hits wanted: equal scores straddling the cut are then rare enough that asking
		# again for all of them (see search) seldom happens (a third of bq_faq_zh's queries did)
		"size": 2 * query.limit if size is None else size,
		# no stored fields: reading them costs Elasticsearch more per hit than scoring does, so the
		# hits carry only doc values, and the display data of the few ranking shows is read apart
		"stored_fields": "_none_",
		"docvalue_fields": list(_HIT_FIELDS),
		"track_total_hits": False,
	}


def display_body(passage_ids: list[str]) -> dict:
	"""Keyword arguments of client.search reading the display data of these passages (their whole
	stored source: small, and filtering it would cost Elasticsearch a parse per hit)."""
	return {"query": {"terms": {"id": passage_ids}}, "size": len(passage_ids), "track_total_hits": False}


def hit_values(hit: dict) -> dict:
	"""{field: value} of a hit's doc values (build_search_body asks for _HIT_FIELDS)."""
	return {name: (values[0] if values else None) for name, values in (hit.get("fields") or {}).items()}


def batches(items: Iterable, size: int) -> Iterator[list]:
	batch = []
	for item in items:
		batch.append(item)
		if len(batch) >= size:
			yield batch
			batch = []
	if batch:
		yield batch


def article_of(passage_id: str) -> str:
	return passage_id.rsplit("#", 1)[0]


def failed_ids(results: Iterable[tuple[bool, dict]]) -> set[str]:
	"""Document ids that a streaming_bulk run reported as failed."""
	failed = set()
	for ok, item in results:
		if not ok:
			info = next(iter(item.values())) if item else {}
			failed.add(str(info.get("_id", "")))
	return failed


def stale_passages(article_ids: list[str], gen: str) -> dict:
	"""The passages of these articles that an indexing run of generation `gen` did not write."""
	return {
		"bool": {
			"filter": [{"terms": {"article_id": article_ids}}, {"term": {"kind": "p"}}],
			"must_not": [{"term": {"gen": gen}}],
		}
	}


def passage_action(index: str, p: Passage, gen: str) -> dict:
	"""The bulk action writing one passage."""
	return {"_op_type": "index", "_index": index, "_id": p.id, "_source": passage_source(p, gen)}


def manifest_action(index: str, article_id: str, modified: str, gen: str) -> dict:
	"""The bulk action writing an article's manifest (its version), once all its passages are in."""
	return {
		"_op_type": "index",
		"_index": index,
		"_id": f"{article_id}#manifest",
		"_source": manifest_source(article_id, modified, gen),
	}


def manifest_delete_action(index: str, article_id: str) -> dict:
	"""The bulk action removing an article's manifest (the article then counts as not indexed)."""
	return {"_op_type": "delete", "_index": index, "_id": f"{article_id}#manifest"}


def count_body(dsl: dict) -> dict:
	"""Keyword arguments of client.search counting the distinct articles matching `dsl`."""
	return {
		"query": dsl,
		"size": 0,
		"track_total_hits": False,
		"aggs": {"articles": {"cardinality": {"field": "article_id", "precision_threshold": 40000}}},
	}


def stats_body() -> dict:
	"""Keyword arguments of client.search reading the passage count, the number of articles and the
	longest Chinese title (IndexStats)."""
	return {
		"size": 0,
		"query": {"term": {"kind": "p"}},
		"track_total_hits": True,
		"aggs": {
			"title_units": {"max": {"field": "title_units"}},
			"articles": {"cardinality": {"field": "article_id", "precision_threshold": 40000}},
		},
	}


MANIFESTS_PAGE = 5000  # manifests read per request by indexed_versions


def manifests_body(search_after=None) -> dict:
	"""Keyword arguments of client.search reading one page of the current layout's manifests."""
	return {
		"size": MANIFESTS_PAGE,
		"query": {"bool": {"filter": [{"term": {"kind": "m"}}, {"term": {"schema": INDEX_SCHEMA}}]}},
		"sort": [{"article_id": "asc"}],
		"_source": ["article_id", "modified"],
		"track_total_hits": False,
		**({"search_after": search_after} if search_after else {}),
	}


def display_from_source(source: dict) -> dict:
	"""A passage's display data plus its ids and version, from its stored source."""
	return {
		**source["data"],
		"passage_id": source["id"],
		"article_id": source["article_id"],
		"modified": source.get("modified", ""),
	}


# ---- the vector half ----------------------------------------------------------------------------

LEAD_BATCH = 10_000  # article ids per lead_passages request (a page of hits at most)
VECTORS_SCHEMA = "km-vectors-1"  # layout of the vectors index: another one is dropped and refilled
VECTORS_PAGE = 5000  # vector documents read per request by versions()
NEAREST_PAGE = 10_000  # hits per nearest() request (Elasticsearch's default result window)
# How the vectors are held: a `dense_vector` field (Elasticsearch's default distribution, 7.3+ and
# 8.x), or, on a server without one (an OSS build), each component as one long doc value: its
# position in the high 32 bits, the component times 2^30 (offset to be non-negative) in the low
# 32 bits, read back by a Painless loop. Both answer the same requests with the same cosines.
ENCODING_DENSE = "dense_vector"
ENCODING_CODES = "long_codes"
# 8.x: the dense_vector indexed for approximate nearest neighbours (HNSW, cosine), read with the knn
# option of a search (8.4+); its cosines for other requests come from the same script as
# ENCODING_DENSE's. An 8.0-8.3 server refuses knn in a search: the brute-force script answers there.
ENCODING_KNN = "dense_vector_knn"
KNN_MAX = 10_000  # the most neighbours (and candidates) one knn search may ask for
KNN_CANDIDATES = 200  # candidates each shard considers at least (more is slower and more exact)
_CODE_SCALE = float(1 << 30)
_CODE_OFFSET = 1 << 31
# the cosine plus 1, so no score is negative (Lucene refuses them); nearest_from_response takes it off.
# The field is named as a string (7.6+ and 8.x); the doc['vector'] form of 7.3-7.5 draws a
# deprecation warning on 7.6 and is gone in 8.x.
_DENSE_SCRIPT = "cosineSimilarity(params.query_vector, 'vector') + 1.0"
_CODES_SCRIPT = (
	"double dot = 0.0; double norm = 0.0; def codes = doc['vector_codes']; int n = codes.size(); "
	"for (int i = 0; i < n; ++i) { long code = codes.get(i); "
	"double c = (double) ((code & 4294967295L) - 2147483648L); "
	"dot += c * params.query_vector[(int) (code >>> 32)]; norm += c * c; } "
	"return norm > 0 ? dot / Math.sqrt(norm) + 1.0 : 1.0;"
)


def lead_passages_body(filters: Filters, article_ids: list[str]) -> dict | None:
	"""Keyword arguments of client.search reading the opening passage of each of these articles
	that the filters allow (doc values only, like build_search_body); None when none can be."""
	return _passages_of_kinds_body(filters, [KIND_LEAD], article_ids, len(article_ids))


def part_passages_body(filters: Filters, parts: list[tuple[str, str]]) -> dict | None:
	"""Keyword arguments of client.search reading the first passage of each of these (article id,
	part key) parts of attached files that the filters allow; None when none can be."""
	articles = list(dict.fromkeys(a for a, _p in parts))
	kinds = list(dict.fromkeys(KIND_PART + p for _a, p in parts))
	return _passages_of_kinds_body(filters, kinds, articles, len(articles) * len(kinds))


def _passages_of_kinds_body(filters: Filters, kinds: list[str], article_ids: list[str], most: int):
	clauses = filter_clauses(filters)
	if clauses is None or not article_ids or not kinds:
		return None
	return {
		"query": {
			"bool": {
				"filter": [
					*clauses,
					{"terms": {"kind": list(kinds)}},
					{"terms": {"article_id": list(article_ids)}},
				]
			}
		},
		"size": min(most, NEAREST_PAGE),
		"stored_fields": "_none_",
		"docvalue_fields": list(_HIT_FIELDS),
		"track_total_hits": False,
	}


def vectors_index_name(prefix: str | None) -> str:
	"""The index holding a site's article vectors (one document per article), beside its passages."""
	return f"{_site_name(prefix)}-km-vectors"


def part_vectors_index_name(prefix: str | None) -> str:
	"""The index holding the vectors of a site's attached files' parts (one document per part)."""
	return f"{_site_name(prefix)}-km-part-vectors"


def group_key(article_id: str) -> str:
	"""An article's tie key (backend.tie_key) as the vectors index holds it: a keyword of 19 digits,
	so sorting the keywords orders them as the numbers."""
	return f"{tie_key(article_id):019d}"


def vectors_index_body(dims: int, encoding: str = ENCODING_DENSE) -> dict:
	"""settings + mappings of the vectors index."""
	if encoding == ENCODING_DENSE:
		vector = {"vector": {"type": "dense_vector", "dims": dims}}
	elif encoding == ENCODING_KNN:
		vector = {"vector": {"type": "dense_vector", "dims": dims, "index": True, "similarity": "cosine"}}
	else:
		vector = {"vector_codes": {"type": "long", "index": False}}
	return {
		"settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1"},
		"mappings": {
			"dynamic": "strict",
			"_meta": {"km_vectors": VECTORS_SCHEMA, "dims": dims, "encoding": encoding},
			# the vector is read from its doc values only: the stored source stays small
			"_source": {"excludes": ["vector", "vector_codes"]},
			"properties": {
				"article_id": {"type": "keyword"},
				"hash": {"type": "keyword"},
				"group": {"type": "keyword"},
				**vector,
			},
		},
	}


def vectors_layout(mapping_response: dict) -> tuple[str, int, str] | None:
	"""(layout, dims, encoding) of the vectors index from a get_mapping answer; None if unknown."""
	for body in mapping_response.values():
		meta = (body.get("mappings") or {}).get("_meta") or {}
		if meta.get("km_vectors"):
			return meta["km_vectors"], int(meta.get("dims") or 0), meta.get("encoding") or ENCODING_DENSE
	return None


def _floats(vector) -> list[float]:
	return [float(x) for x in vector]


def unit_vector(vector) -> list[float]:
	"""The vector scaled to length 1 (the codes script takes the query's length as 1)."""
	values = _floats(vector)
	norm = sum(x * x for x in values) ** 0.5
	return [x / norm for x in values] if norm else values


def vector_codes(vector) -> list[int]:
	"""The long doc values of a vector (ENCODING_CODES); its length does not matter (the script
	divides by it)."""
	values = _floats(vector)
	top = max((abs(x) for x in values), default=0.0) or 1.0
	return [(i << 32) | (round(x / top * _CODE_SCALE) + _CODE_OFFSET) for i, x in enumerate(values)]


def vector_action(index: str, article_id: str, text_hash: str, vector, encoding: str) -> dict:
	"""The bulk action writing (or replacing) an article's vector."""
	if encoding != ENCODING_CODES:
		field = {"vector": _floats(vector)}
	else:
		field = {"vector_codes": vector_codes(vector)}
	return {
		"_op_type": "index",
		"_index": index,
		"_id": article_id,
		"_source": {"article_id": article_id, "hash": text_hash, "group": group_key(article_id), **field},
	}


def vector_versions_body(search_after=None) -> dict:
	"""Keyword arguments of client.search reading one page of {article_id, hash}."""
	return {
		"size": VECTORS_PAGE,
		"query": {"match_all": {}},
		"sort": [{"article_id": "asc"}],
		"_source": ["article_id", "hash"],
		"track_total_hits": False,
		**({"search_after": search_after} if search_after else {}),
	}


def _script_score(query: dict, vector, encoding: str) -> dict:
	script = _CODES_SCRIPT if encoding == ENCODING_CODES else _DENSE_SCRIPT
	return {
		"script_score": {
			"query": query,
			"script": {"source": script, "params": {"query_vector": unit_vector(vector)}},
		}
	}


def nearest_body(vector, k: int, encoding: str, search_after=None) -> dict:
	"""Keyword arguments of client.search for the k vectors nearest `vector` (cosine, brute force
	over all of them), best first, equal cosines by tie key."""
	return {
		"query": _script_score({"match_all": {}}, vector, encoding),
		"size": min(k, NEAREST_PAGE),
		"sort": [{"_score": "desc"}, {"group": "asc"}],
		"stored_fields": "_none_",
		"docvalue_fields": ["article_id"],
		"track_total_hits": False,
		**({"search_after": search_after} if search_after else {}),
	}


def knn_body(vector, k: int) -> dict:
	"""Keyword arguments of client.search for the k vectors nearest `vector` by the knn option of an
	ENCODING_KNN index (approximate; k <= KNN_MAX)."""
	return {
		"knn": {
			"field": "vector",
			"query_vector": unit_vector(vector),
			"k": k,
			"num_candidates": min(KNN_MAX, max(KNN_CANDIDATES, 2 * k)),
		},
		"size": k,
		"_source": False,
		"docvalue_fields": ["article_id", "group"],
		"track_total_hits": False,
	}


def knn_from_response(response: dict) -> list[tuple[str, int, float]]:
	"""[(article id, tie key, cosine)] of a knn_body answer, best first, equal cosines by tie key
	(a cosine similarity's knn score is (1 + cosine) / 2)."""
	found = []
	for hit in response["hits"]["hits"]:
		fields = hit.get("fields") or {}
		found.append((fields["article_id"][0], int(fields["group"][0]), 2.0 * float(hit["_score"]) - 1.0))
	found.sort(key=lambda item: (-item[2], item[1]))
	return found


def similarities_body(vector, groups: list[int], encoding: str) -> dict:
	"""Keyword arguments of client.search for the cosines of the articles with these tie keys."""
	return {
		"query": _script_score({"terms": {"group": [f"{g:019d}" for g in groups]}}, vector, encoding),
		"size": len(groups),
		"sort": [{"_score": "desc"}, {"group": "asc"}],
		"stored_fields": "_none_",
		"docvalue_fields": ["article_id"],
		"track_total_hits": False,
	}


def nearest_from_response(response: dict) -> list[tuple[str, int, float]]:
	"""[(article id, tie key, cosine)] of a nearest_body or similarities_body answer, in its order."""
	found = []
	for hit in response["hits"]["hits"]:
		score, group = hit["sort"][0], hit["sort"][1]
		found.append((hit_values(hit)["article_id"], int(group), float(score) - 1.0))
	return found

"""The Elasticsearch requests of the vector half (elastic_requests.py, pure) and the vectors index's
making against a fake client (run without a server; the contract tests run them on a real one)."""

from __future__ import annotations

import numpy as np
import pytest
from km_search_testutil import make_article, passages_of

from km_crm.search.backend import KIND_LEAD, Filters, SearchBackendError, tie_key
from km_crm.search.elastic_requests import (
	ENCODING_CODES,
	ENCODING_DENSE,
	NEAREST_PAGE,
	VECTORS_SCHEMA,
	alias_name,
	group_key,
	lead_passages_body,
	nearest_body,
	nearest_from_response,
	passage_source,
	similarities_body,
	stale_passages,
	stats_body,
	vector_action,
	vector_codes,
	vectors_index_body,
	vectors_index_name,
	vectors_layout,
)

DIM = 384


def unit(seed: int) -> np.ndarray:
	v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
	return v / np.linalg.norm(v)


def test_an_articles_opening_passage_is_also_its_lead():
	long_body = "".join(f"<h2>Step {i}</h2><p>{'Some words here. ' * 40}</p>" for i in range(3))
	passages = passages_of(make_article("KB-1", "Guide", long_body))
	assert len(passages) > 1
	kinds = [passage_source(p, "g")["kind"] for p in passages]
	assert kinds[0] == ["p", KIND_LEAD] and all(k == ["p"] for k in kinds[1:])
	# what filters on kind "p" select still holds every passage (a term query matches either form)
	assert {"term": {"kind": "p"}} in stale_passages(["KB-1"], "g")["bool"]["filter"]
	assert stats_body()["query"] == {"term": {"kind": "p"}}


def test_lead_passages_ask_for_the_leads_of_these_articles_under_the_readers_filters():
	body = lead_passages_body(Filters(audiences=("Public",), roles=("Employee",)), ["KB-2", "KB-1"])
	clauses = body["query"]["bool"]["filter"]
	assert {"terms": {"audience": ["Public"]}} in clauses
	assert {"terms": {"status": ["Published"]}} in clauses
	assert {"terms": {"roles": ["__any__", "Employee"]}} in clauses
	assert {"terms": {"kind": [KIND_LEAD]}} in clauses
	assert {"terms": {"article_id": ["KB-2", "KB-1"]}} in clauses
	assert body["size"] == 2 and body["stored_fields"] == "_none_"
	assert "must" not in body["query"]["bool"]  # nothing scored: every lead has score 0
	assert lead_passages_body(Filters(audiences=()), ["KB-1"]) is None  # the reader may see nothing
	assert lead_passages_body(Filters(), []) is None


def test_part_passages_ask_for_the_first_passage_of_these_parts_under_the_readers_filters():
	from km_crm.search.backend import KIND_PART
	from km_crm.search.elastic_requests import part_passages_body

	body = part_passages_body(Filters(roles=("Guest",)), [("KB-1", "h:3::0"), ("KB-2", "h:3::0")])
	clauses = body["query"]["bool"]["filter"]
	assert {"terms": {"roles": ["__any__", "Guest"]}} in clauses  # a private file's pages: not for guests
	assert {"terms": {"kind": [KIND_PART + "h:3::0"]}} in clauses
	assert {"terms": {"article_id": ["KB-1", "KB-2"]}} in clauses
	assert body["size"] == 2
	assert part_passages_body(Filters(audiences=()), [("KB-1", "h:3::0")]) is None


def test_the_vectors_index_is_named_like_the_sites_passages():
	assert alias_name("Support.Example.COM") == "support-example-com-km-passages"
	assert vectors_index_name("Support.Example.COM") == "support-example-com-km-vectors"
	assert vectors_index_name(None) == "km-km-vectors"


def test_tie_keys_as_keywords_sort_like_the_numbers():
	ids = [f"KB-{i}" for i in range(500)] + ["", "HD Ticket/3", "文章"]
	assert sorted(ids, key=group_key) == sorted(ids, key=tie_key)
	assert all(len(group_key(a)) == 19 for a in ids)


def test_vectors_index_layouts():
	dense = vectors_index_body(DIM)
	assert dense["mappings"]["properties"]["vector"] == {"type": "dense_vector", "dims": DIM}
	assert dense["mappings"]["dynamic"] == "strict"
	meta = dense["mappings"]["_meta"]
	assert vectors_layout({"x": {"mappings": {"_meta": meta}}}) == (VECTORS_SCHEMA, DIM, ENCODING_DENSE)
	codes = vectors_index_body(DIM, ENCODING_CODES)["mappings"]
	assert codes["properties"]["vector_codes"]["type"] == "long" and "vector" not in codes["properties"]
	assert vectors_layout({"x": {"mappings": {"_meta": codes["_meta"]}}})[2] == ENCODING_CODES
	assert vectors_layout({}) is None
	assert vectors_layout({"x": {"mappings": {}}}) is None


def _codes_cosine(codes: list[int], query: np.ndarray) -> float:
	"""What the Painless script of ENCODING_CODES computes, with the doc values in sorted order."""
	dot = norm = 0.0
	for code in sorted(codes):
		c = float((code & 0xFFFFFFFF) - 2**31)
		dot += c * float(query[code >> 32])
		norm += c * c
	return dot / norm**0.5


def test_vector_codes_give_back_the_cosine():
	query = unit(1)
	for seed in range(2, 7):
		vector = unit(seed) * 3.5  # the length does not matter
		codes = vector_codes(vector)
		assert all(0 <= c < 2**63 for c in codes)
		assert _codes_cosine(codes, query) == pytest.approx(float(unit(seed) @ query), abs=1e-6)
	assert _codes_cosine(vector_codes(query), query) == pytest.approx(1.0, abs=1e-6)


def test_vector_documents_are_keyed_by_article_with_their_hash_and_tie_key():
	v = unit(3)
	action = vector_action("site-km-vectors", "HD Ticket/3", "abc", v, ENCODING_DENSE)
	assert action["_id"] == "HD Ticket/3" and action["_index"] == "site-km-vectors"
	source = action["_source"]
	assert source["hash"] == "abc" and source["group"] == group_key("HD Ticket/3")
	assert source["vector"] == pytest.approx(v.tolist()) and isinstance(source["vector"][0], float)
	coded = vector_action("i", "KB-1", "abc", v, ENCODING_CODES)["_source"]
	assert "vector" not in coded and len(coded["vector_codes"]) == DIM


@pytest.mark.parametrize("encoding", [ENCODING_DENSE, ENCODING_CODES])
def test_nearest_scores_every_vector_by_cosine_best_first_then_tie_key(encoding):
	query = unit(4) * 2.0
	body = nearest_body(query, 50, encoding)
	script = body["query"]["script_score"]
	assert script["query"] == {"match_all": {}}
	if encoding == ENCODING_DENSE:
		assert script["script"]["source"] == "cosineSimilarity(params.query_vector, 'vector') + 1.0"
	else:
		assert "doc['vector_codes']" in script["script"]["source"]
	sent = np.array(script["script"]["params"]["query_vector"])
	assert np.linalg.norm(sent) == pytest.approx(1.0) and sent @ unit(4) == pytest.approx(1.0)
	assert body["sort"] == [{"_score": "desc"}, {"group": "asc"}]
	assert body["size"] == 50 and "search_after" not in body
	assert nearest_body(query, 10**6, encoding, search_after=[1.5, "7"])["size"] == NEAREST_PAGE
	assert nearest_body(query, 10**6, encoding, search_after=[1.5, "7"])["search_after"] == [1.5, "7"]
	similar = similarities_body(query, [tie_key("KB-1"), 5], encoding)
	assert similar["query"]["script_score"]["query"] == {
		"terms": {"group": [group_key("KB-1"), "0" * 18 + "5"]}
	}
	assert similar["size"] == 2


def test_answers_give_cosines_without_the_offset():
	response = {
		"hits": {
			"hits": [
				{"fields": {"article_id": ["KB-2"]}, "sort": [1.75, group_key("KB-2")]},
				{"fields": {"article_id": ["KB-1"]}, "sort": [0.5, group_key("KB-1")]},
			]
		}
	}
	assert nearest_from_response(response) == [
		("KB-2", tie_key("KB-2"), 0.75),
		("KB-1", tie_key("KB-1"), -0.5),
	]


class _BadRequest(Exception):
	pass


class _Indices:
	def __init__(self, dense_supported: bool):
		self.dense_supported = dense_supported
		self.created: list[dict] = []

	def get_mapping(self, index, ignore_unavailable):
		return {}

	def create(self, index, settings, mappings):
		if "vector" in mappings["properties"] and not self.dense_supported:
			raise _BadRequest(
				"mapper_parsing_exception: No handler for type [dense_vector] declared on field [vector]"
			)
		self.created.append(mappings)

	def refresh(self, index):
		pass


class _Client:
	def __init__(self, dense_supported: bool):
		self.indices = _Indices(dense_supported)


@pytest.mark.parametrize("dense_supported", [True, False])
def test_the_vectors_index_uses_dense_vector_where_the_server_has_it(monkeypatch, dense_supported):
	from km_crm.search import elastic_backend
	from km_crm.search.elastic_backend import ElasticBackend

	monkeypatch.setattr(elastic_backend, "bad_request_error", lambda: _BadRequest)
	client = _Client(dense_supported)
	backend = ElasticBackend(client, "site1")
	monkeypatch.setattr(backend, "_bulk", lambda actions: {a["_id"] for a in actions if a["_id"] == "BAD"})
	store = backend.vectors()
	assert store.index == "site1-km-vectors"
	store.put({"KB-1": ("h", unit(1))})
	assert len(client.indices.created) == 1
	fields = client.indices.created[0]["properties"]
	assert ("vector" in fields) is dense_supported and ("vector_codes" in fields) is not dense_supported
	with pytest.raises(SearchBackendError):
		store.put({"BAD": ("h", unit(3))})  # a vector the engine refused: the job fails, reconcile retries
	with pytest.raises(ValueError):
		store.put({"KB-2": ("h", unit(2)[:100])})  # another model's width is refused, not stored


def test_on_8x_the_vectors_are_indexed_for_knn_and_asked_with_the_knn_option():
	from km_crm.search.elastic_requests import ENCODING_KNN, KNN_MAX, knn_body, knn_from_response

	mapping = vectors_index_body(DIM, ENCODING_KNN)["mappings"]
	assert mapping["properties"]["vector"] == {
		"type": "dense_vector",
		"dims": DIM,
		"index": True,
		"similarity": "cosine",
	}
	assert vectors_layout({"x": {"mappings": {"_meta": mapping["_meta"]}}})[2] == ENCODING_KNN
	assert "vector" in vector_action("i", "KB-1", "h", unit(1), ENCODING_KNN)["_source"]
	# its cosines for given articles come from the dense_vector script
	script = similarities_body(unit(1), [5], ENCODING_KNN)["query"]["script_score"]["script"]
	assert script["source"].startswith("cosineSimilarity(")
	body = knn_body(unit(2) * 3, 100)
	knn = body["knn"]
	assert knn["field"] == "vector" and knn["k"] == 100 and 100 <= knn["num_candidates"] <= KNN_MAX
	assert np.linalg.norm(knn["query_vector"]) == pytest.approx(1.0)
	assert body["size"] == 100 and set(body["docvalue_fields"]) == {"article_id", "group"}
	assert knn_body(unit(2), KNN_MAX)["knn"]["num_candidates"] == KNN_MAX
	# a cosine knn score is (1 + cosine) / 2; equal cosines in tie-key order, as everywhere
	response = {
		"hits": {
			"hits": [
				{"_score": 0.875, "fields": {"article_id": ["KB-9"], "group": ["0" * 18 + "9"]}},
				{"_score": 0.875, "fields": {"article_id": ["KB-3"], "group": ["0" * 18 + "3"]}},
				{"_score": 0.95, "fields": {"article_id": ["KB-1"], "group": ["0" * 18 + "1"]}},
			]
		}
	}
	assert knn_from_response(response) == [
		("KB-1", 1, pytest.approx(0.9)),
		("KB-3", 3, pytest.approx(0.75)),
		("KB-9", 9, pytest.approx(0.75)),
	]


class _Refused(Exception):
	"""What the client raises for a 400 answer (the backend tells client errors by their module)."""


_Refused.__module__ = "elasticsearch.exceptions"


class _SearchingClient(_Client):
	def __init__(self, knn_supported: bool):
		super().__init__(dense_supported=True)
		self.knn_supported = knn_supported
		self.asked: list[str] = []

	def search(self, index, **body):
		if "knn" in body:
			self.asked.append("knn")
			if not self.knn_supported:
				raise _Refused("request [/site1-km-vectors/_search] contains unrecognized parameter: [knn]")
			return {
				"hits": {
					"hits": [
						{"_score": 0.9, "fields": {"article_id": ["KB-1"], "group": [group_key("KB-1")]}}
					]
				}
			}
		self.asked.append("script")
		return {"hits": {"hits": [{"fields": {"article_id": ["KB-1"]}, "sort": [1.8, group_key("KB-1")]}]}}


@pytest.mark.parametrize("client_major,knn_supported", [(8, True), (8, False), (7, True)])
def test_nearest_asks_knn_on_8x_and_the_script_where_knn_is_refused(monkeypatch, client_major, knn_supported):
	from km_crm.search import elastic_backend
	from km_crm.search.elastic_backend import ElasticBackend
	from km_crm.search.elastic_requests import ENCODING_KNN

	monkeypatch.setattr(elastic_backend, "bad_request_error", lambda: _BadRequest)
	monkeypatch.setattr(elastic_backend, "client_major", lambda: client_major)
	client = _SearchingClient(knn_supported)
	backend = ElasticBackend(client, "site1")
	monkeypatch.setattr(backend, "_bulk", lambda actions: set())
	store = backend.vectors()
	store.put({"KB-1": ("h", unit(1))})
	created = client.indices.created[0]
	assert created["_meta"]["encoding"] == (ENCODING_KNN if client_major >= 8 else ENCODING_DENSE)
	for _ in range(2):
		[(article, _group, cosine)] = store.nearest(unit(1), 5)
		assert article == "KB-1" and cosine == pytest.approx(0.8)
	if client_major < 8:
		assert client.asked == ["script", "script"]
	elif knn_supported:
		assert client.asked == ["knn", "knn"]
	else:  # refused once, then the script without asking again
		assert client.asked == ["knn", "script", "script"]

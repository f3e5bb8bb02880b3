"""The Elasticsearch backend's requests (elastic_requests.py, pure) and its behaviour against a fake
client (run without a server)."""

from __future__ import annotations

import pytest
from km_search_testutil import make_article, passages_of

from km_crm.search.analysis import analyze_query
from km_crm.search.backend import INDEX_SCHEMA, ROLE_ANY, Filters, SearchBackendError, SearchQuery
from km_crm.search.elastic_backend import ElasticBackend
from km_crm.search.elastic_requests import (
	alias_name,
	build_query_dsl,
	build_search_body,
	doc_freqs_from_term_vectors,
	failed_ids,
	index_body,
	manifest_source,
	neighbours_from_suggest,
	outdated_indices,
	passage_source,
	term_statistics_body,
	term_suggest_body,
)

WEIGHTS = {"title": 2.0, "heading": 1.0, "text": 1.0}


def test_alias_is_a_valid_index_name_per_site():
	assert alias_name("Support.Example.COM") == "support-example-com-km-passages"
	assert alias_name("_weird site/+name") == "weird-site-name-km-passages"
	assert alias_name(None) == "km-km-passages"


def test_mapping_indexes_our_terms_with_a_whitespace_analyzer():
	body = index_body()
	assert body["settings"]["analysis"]["analyzer"]["km_terms"] == {
		"type": "custom",
		"tokenizer": "whitespace",
	}
	props = body["mappings"]["properties"]
	for field in ("title_t", "heading_t", "lead_t", "text_t"):
		assert props[field]["analyzer"] == "km_terms"
	assert body["mappings"]["_meta"] == {"km_schema": INDEX_SCHEMA}
	for field in ("audience", "status", "roles", "article_id"):
		assert props[field] == {"type": "keyword"}
	assert props["data"]["enabled"] is False


def test_passage_source_carries_analysed_terms_and_open_roles_marker():
	p = passages_of(make_article("KB-1", "全文检索 Settings", "<p>Enable indexing.</p>"))[0]
	src = passage_source(p, "gen1")
	assert "检索" in src["title_t"].split() and "set" in src["title_t"].split()
	assert src["text_t"].split() == ["enabl", "index", "enabl_index"]
	assert src["roles"] == [ROLE_ANY]
	assert src["data"]["text"] == "Enable indexing."


def test_permission_filters_are_non_scoring_filters_inside_the_query():
	q = SearchQuery(
		terms=analyze_query("printer"),
		filters=Filters(
			audiences=("Public",),
			statuses=("Published",),
			roles=("Support Agent",),
			category=("Hardware", "Printers"),
		),
	)
	dsl = build_query_dsl(q, WEIGHTS)
	filters = dsl["bool"]["filter"]
	assert {"terms": {"audience": ["Public"]}} in filters
	assert {"terms": {"status": ["Published"]}} in filters
	assert {"terms": {"roles": [ROLE_ANY, "Support Agent"]}} in filters
	assert {"term": {"category": "Hardware\x1fPrinters"}} in filters
	should = dsl["bool"]["must"][0]["bool"]["should"]
	assert {"term": {"title_t": {"value": "printer", "boost": 2.0}}} in should


def test_empty_audience_or_terms_means_no_query_at_all():
	assert (
		build_query_dsl(SearchQuery(terms=analyze_query("printer"), filters=Filters(audiences=())), WEIGHTS)
		is None
	)
	assert build_search_body(SearchQuery(terms=[], filters=Filters(audiences=("Public",))), WEIGHTS) is None


def test_failed_ids_reads_streaming_bulk_results():
	results = [(True, {"index": {"_id": "A#0"}}), (False, {"index": {"_id": "B#1", "status": 429}})]
	assert failed_ids(results) == {"B#1"}


class _FakeIndices:
	def __init__(self, mappings=None):
		self.calls = []
		self.mappings = mappings or {
			"site1-km-passages-1": {"mappings": {"_meta": {"km_schema": INDEX_SCHEMA}}}
		}

	def exists_alias(self, name):
		return True

	def get_mapping(self, index):
		return self.mappings

	def put_mapping(self, index, body):
		self.calls.append(("put_mapping", index, sorted(body["properties"]), body["_meta"]))

	def refresh(self, index):
		self.calls.append(("refresh", index))


class _FakeClient:
	def __init__(self):
		self.indices = _FakeIndices()
		self.deleted_by_query = []

	def delete_by_query(self, **kwargs):
		self.deleted_by_query.append(kwargs)


def test_partially_failed_bulk_removes_the_failed_articles_manifest_and_raises(monkeypatch):
	backend = ElasticBackend(_FakeClient(), "site1")
	bulk_calls = []

	def fake_bulk(actions):
		actions = list(actions)
		bulk_calls.append(actions)
		return {"B#0"} if len(bulk_calls) == 1 else set()

	monkeypatch.setattr(backend, "_bulk", fake_bulk)
	passages = passages_of(make_article("A", "Alpha", "<p>a</p>"), make_article("B", "Beta", "<p>b</p>"))
	with pytest.raises(SearchBackendError, match="B"):
		backend.index(passages)
	manifest_ops = {(a["_op_type"], a["_id"]) for a in bulk_calls[1]}
	assert manifest_ops == {("index", "A#manifest"), ("delete", "B#manifest")}
	stale_cleanup = backend.client.deleted_by_query[0]["body"]["query"]["bool"]
	assert stale_cleanup["filter"][0] == {"terms": {"article_id": ["A"]}}  # B's old passages stay untouched


def test_an_index_of_an_older_layout_is_upgraded_and_its_articles_reindexed():
	current = {"mappings": {"_meta": {"km_schema": INDEX_SCHEMA}}}
	old = {"mappings": {"properties": {"text_t": {"type": "text"}}}}
	assert outdated_indices({"site-km-passages-1": old, "site-km-passages-2": current}) == [
		"site-km-passages-1"
	]
	client = _FakeClient()
	client.indices.mappings = {"site1-km-passages-1": old}
	ElasticBackend(client, "site1").ensure_schema()
	(call,) = [c for c in client.indices.calls if c[0] == "put_mapping"]
	assert call[1] == "site1-km-passages-1" and "lead_t" in call[2] and call[3] == {"km_schema": INDEX_SCHEMA}
	# manifests written now carry the layout; indexed_versions only trusts those
	assert manifest_source("A", "2024-01-01", "g")["schema"] == INDEX_SCHEMA


def test_word_counts_are_term_statistics_of_an_artificial_document():
	body = term_statistics_body(["printer", "retriev"])
	assert body["doc"]["text_t"] == "printer retriev" and set(body["doc"]) == {
		"title_t",
		"heading_t",
		"text_t",
	}
	assert body["term_statistics"] is True and body["positions"] is False
	answer = {
		"term_vectors": {
			"title_t": {"terms": {"printer": {"doc_freq": 2, "term_freq": 1}, "retriev": {"term_freq": 1}}},
			"text_t": {"terms": {"printer": {"doc_freq": 4, "term_freq": 1}, "retriev": {"term_freq": 1}}},
		}
	}
	assert doc_freqs_from_term_vectors(answer, ["printer", "retriev"]) == {"printer": 4, "retriev": 0}


def test_query_words_are_looked_up_once_a_minute():
	client = _FakeClient()
	asked = []

	def termvectors(index, body):
		words = body["doc"]["text_t"].split()
		asked.append(words)
		return {"term_vectors": {"text_t": {"terms": {w: {"doc_freq": 3} for w in words if w != "pasword"}}}}

	client.termvectors = termvectors
	backend = ElasticBackend(client, "site1")
	assert backend.doc_freqs(["printer", "pasword"]) == {"printer": 3, "pasword": 0}
	assert backend.doc_freqs(["pasword", "printer", "driver"]) == {"pasword": 0, "printer": 3, "driver": 3}
	assert asked == [["printer", "pasword"], ["driver"]]
	backend.delete(["KB-1"])  # a write in this process forgets them
	backend.doc_freqs(["printer"])
	assert asked[-1] == ["printer"]


def test_typo_neighbours_come_from_the_term_suggester_of_every_text_field_in_one_request():
	body = term_suggest_body(["printr"])
	assert set(body) == {"title", "heading", "text"}
	suggester = body["heading"]["term"]
	assert body["heading"]["text"] == "printr" and suggester["field"] == "heading_t"
	# the neighbourhood of spelling.one_edit_away: one edit anywhere, even in the first letter
	assert suggester["max_edits"] == 1 and suggester["prefix_length"] == 0
	assert suggester["sort"] == "frequency" and suggester["accuracy"] == 0.0
	client = _FakeClient()
	asked = []
	options = {
		"title": [{"text": "printer", "freq": 1}, {"text": "printers", "freq": 9}],  # two edits: not one
		"text": [{"text": "printer", "freq": 4}, {"text": "print", "freq": 2}, {"text": "printé", "freq": 7}],
	}

	def search(index, **body):
		asked.append(body)
		word = body["suggest"]["text"]["text"]
		return {
			"hits": {"hits": []},
			"suggest": {
				name: [{"text": word, "options": options.get(name, []) if word == "printr" else []}]
				for name in body["suggest"]
			},
		}

	client.search = search
	backend = ElasticBackend(client, "site1")
	assert backend.neighbour_freqs("printr") == {"printer": 4, "print": 2}
	assert backend.neighbour_freqs("zqxwv") == {}
	assert len(asked) == 2 and all(a["size"] == 0 for a in asked)
	assert neighbours_from_suggest({}, ["printr"]) == {"printr": {}}


def test_hits_carry_doc_values_only_and_display_data_is_read_for_few_articles_at_a_time():
	from km_crm.search.elastic_backend import DISPLAY_BATCH

	client = _FakeClient()
	requests = []
	ranked = [(f"KB-{a}#{n}", 100.0 - a - n / 10) for a in range(30) for n in range(2)]
	gone = "KB-3#0"  # deleted after the search
	version = ["v1"]

	def search(index, **body):
		if "docvalue_fields" in body:  # the search itself
			hits = [
				{
					"_score": score,
					"fields": {"id": [pid], "article_id": [pid.split("#")[0]], "modified": [version[0]]},
				}
				for pid, score in ranked[: body["size"]]
			]
			return {"hits": {"hits": hits}}
		ids = body["query"]["terms"]["id"]
		requests.append(ids)
		sources = [
			{
				"id": pid,
				"article_id": pid.split("#")[0],
				"modified": version[0],
				"data": {"title": f"T {pid}"},
			}
			for pid in ids
			if pid != gone
		]
		return {"hits": {"hits": [{"_source": src} for src in sources]}}

	client.search = search
	backend = ElasticBackend(client, "site1")
	hits = backend.search(
		SearchQuery(terms=analyze_query("printer"), filters=Filters(audiences=("Public",)), limit=50)
	)
	assert len(hits) == 50 and requests == []  # nothing read yet
	assert hits[0].title == "T KB-0#0" and hits[0].article_id == "KB-0"
	assert requests == [[f"KB-{a}#0" for a in range(DISPLAY_BATCH)]]  # best passage of the next articles
	assert hits[2].article_id == "KB-1" and hits[4].modified == "v1" and len(requests) == 1
	assert hits[6].title == "" and hits[6].article_id == "KB-3"  # gone: its article is still known
	assert hits[2 * DISPLAY_BATCH].article_id == f"KB-{DISPLAY_BATCH}"  # the next articles
	assert requests[-1] == [f"KB-{a}#0" for a in range(DISPLAY_BATCH, 2 * DISPLAY_BATCH)]
	hits[1].load()  # another passage of a read article: with the best passages of the articles after it
	assert requests[-1] == ["KB-0#1", "KB-24#0"]  # 50 hits: 25 articles
	assert hits[6].article_id == "KB-3" and len(requests) == 3  # a passage not found is not asked again
	again = backend.search(
		SearchQuery(terms=analyze_query("printer"), filters=Filters(audiences=("Public",)), limit=50)
	)
	assert again[0].title == "T KB-0#0" and len(requests) == 3  # shown a moment ago: kept by version
	version[0] = "v2"  # the articles changed: their new versions are read
	changed = backend.search(
		SearchQuery(terms=analyze_query("printer"), filters=Filters(audiences=("Public",)), limit=50)
	)
	assert changed[0].modified == "v2" and len(requests) == 4

"""Elasticsearch backend (the only module that imports `elasticsearch`; loaded lazily by the factory).

- Readers use an alias `<prefix>-km-passages`; rebuild() fills a new physical index and swaps the
  alias atomically (one update_aliases call), then drops the old index: no downtime.
- Fields hold the analysed terms from analysis.py, indexed by a whitespace analyzer, with the
  default BM25 similarity (k1=1.2, b=0.75, as in tantivy), so both engines rank the same terms.
- Bulk writes retry 429s with exponential backoff (helpers.streaming_bulk), and the whole call is
  retried on connection errors. An article's manifest (its version) is written only after all its
  passages were accepted; a failed article has its manifest removed so reconcile sees it missing.
- Snippet highlighting is done by ranking.highlight on the stored plain text (the engine's own
  highlighter would mark the analysed term strings, not the text a user reads); that keeps
  highlights identical on both backends.
- The mapping's `_meta.km_schema` and every manifest carry the document layout (INDEX_SCHEMA). An
  index of an older layout gets the new fields added in place and its articles count as not indexed,
  so the next reconcile rewrites them while the old documents keep answering searches.
- Query DSL works on Elasticsearch 7.10+ and 8.x; calls use the 8.x keyword style.
"""

from __future__ import annotations

import functools
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator

from km_crm.search.backend import (
	INDEX_SCHEMA,
	ROLE_ANY,
	TEXT_FIELDS,
	Hit,
	SearchBackend,
	SearchBackendError,
	SearchQuery,
	category_keys,
	scope_key,
)
from km_crm.search.documents import Passage, passage_terms

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
_SOURCE_FIELDS = ["id", "article_id", "modified", "data"]


def alias_name(prefix: str | None) -> str:
	"""A valid, lower-case index alias for a site prefix (e.g. the site name)."""
	clean = re.sub(r"[^a-z0-9_-]+", "-", (prefix or "km").lower()).strip("-_+.")
	return f"{clean or 'km'}-km-passages"


def mapping_properties() -> dict:
	return {
		**{name: {"type": "keyword"} for name in _KEYWORDS},
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
		"kind": "p",
		"gen": gen,
		"modified": p.modified,
		"lang": p.lang,
		"audience": p.audience,
		"status": p.status,
		"roles": list(p.roles) or [ROLE_ANY],
		"category": category_keys(p.category_path),
		"items": list(p.items),
		"scope": list(p.scope),
		**{f"{name}_t": terms[name] for name in TEXT_FIELDS},
		"data": {
			"title": p.title,
			"heading": p.heading,
			"text": p.text,
			"section": p.section,
			"lang": p.lang,
			"audience": p.audience,
			"status": p.status,
			"category_path": p.category_path,
			"items": p.items,
		},
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


def term_count_filters(terms: list[str]) -> dict[str, dict]:
	"""One named filter per term: passages holding it in any text field (a `filters` aggregation)."""
	return {
		t: {
			"bool": {
				"filter": [{"term": {"kind": "p"}}],
				"should": [{"term": {f"{name}_t": t}} for name in TEXT_FIELDS],
				"minimum_should_match": 1,
			}
		}
		for t in terms
	}


def filter_clauses(query: SearchQuery) -> list[dict] | None:
	"""ES filter clauses for the permission/scope filters; None when nothing can match."""
	filters: list[dict] = [{"term": {"kind": "p"}}]
	for field, values in (
		("audience", query.audiences),
		("status", query.statuses),
		("items", query.items),
		("article_id", query.article_ids),
	):
		if values is not None:
			if not values:
				return None
			filters.append({"terms": {field: list(values)}})
	if query.roles is not None:
		filters.append({"terms": {"roles": [ROLE_ANY, *query.roles]}})
	if query.lang:
		filters.append({"term": {"lang": query.lang}})
	if query.category:
		filters.append({"term": {"category": category_keys(query.category)[-1]}})
	if query.scopes is not None:
		if not query.scopes:
			return None
		alternatives = [
			{
				"bool": {
					"filter": [
						{"terms": {"scope": [scope_key(f, v) for v in values]}} for f, values in scope.items()
					]
				}
			}
			for scope in query.scopes
		]
		filters.append({"bool": {"should": alternatives, "minimum_should_match": 1}})
	return filters


def build_query_dsl(query: SearchQuery, weights: dict[str, float]) -> dict | None:
	"""bool query: BM25 sum over term clauses (weight x field weight) + filters (no scoring)."""
	filters = filter_clauses(query)
	if filters is None or not query.terms:
		return None
	should = [
		{"term": {f"{field}_t": {"value": qt.term, "boost": round(qt.weight * fw, 6)}}}
		for qt in query.terms
		for field, fw in weights.items()
	]
	return {"bool": {"must": [{"bool": {"should": should, "minimum_should_match": 1}}], "filter": filters}}


def build_search_body(query: SearchQuery, weights: dict[str, float]) -> dict | None:
	dsl = build_query_dsl(query, weights)
	if dsl is None:
		return None
	return {"query": dsl, "size": query.limit, "source": _SOURCE_FIELDS, "track_total_hits": False}


def _article_of(passage_id: str) -> str:
	return passage_id.rsplit("#", 1)[0]


def failed_ids(results: Iterable[tuple[bool, dict]]) -> set[str]:
	"""Document ids that a streaming_bulk run reported as failed."""
	failed = set()
	for ok, item in results:
		if not ok:
			info = next(iter(item.values())) if item else {}
			failed.add(str(info.get("_id", "")))
	return failed


class ElasticBackend(SearchBackend):
	def __init__(
		self,
		client,
		index_prefix: str | None = None,
		field_weights: dict[str, float] | None = None,
		max_retries: int = 5,
		initial_backoff: float = 0.5,
		max_backoff: float = 30.0,
		chunk_size: int = 500,
	) -> None:
		self.client = client
		self.alias = alias_name(index_prefix)
		self.field_weights = dict(field_weights or {})
		self.max_retries = max_retries
		self.initial_backoff = initial_backoff
		self.max_backoff = max_backoff
		self.chunk_size = chunk_size

	@classmethod
	def from_settings(cls, settings: dict) -> ElasticBackend:
		import elasticsearch

		major = elasticsearch.VERSION[0]
		kwargs: dict = {"hosts": [settings["es_url"]], "max_retries": 3, "retry_on_timeout": True}
		kwargs["request_timeout" if major >= 8 else "timeout"] = 30
		if settings.get("verify_certs") is not None:
			kwargs["verify_certs"] = bool(settings["verify_certs"])
		if settings.get("es_api_key"):
			kwargs["api_key"] = settings["es_api_key"]
		elif settings.get("es_username"):
			auth = (settings["es_username"], settings.get("es_password") or "")
			kwargs["basic_auth" if major >= 8 else "http_auth"] = auth
		client = elasticsearch.Elasticsearch(**kwargs)
		return cls(client, settings.get("index_prefix"), field_weights=settings.get("field_weights"))

	# ---- helpers ---------------------------------------------------------------------------
	def _retry(self, fn: Callable[[], object]):
		"""Run fn, retrying connection problems with exponential backoff."""
		from elasticsearch import ConnectionError as ESConnectionError
		from elasticsearch import ConnectionTimeout

		delay = self.initial_backoff
		for attempt in range(self.max_retries + 1):
			try:
				return fn()
			except (ESConnectionError, ConnectionTimeout) as exc:
				if attempt == self.max_retries:
					raise SearchBackendError(f"Elasticsearch unreachable: {exc}") from exc
				time.sleep(delay)
				delay = min(delay * 2, self.max_backoff)

	def _bulk(self, actions: Iterable[dict]) -> set[str]:
		from elasticsearch import helpers

		results = helpers.streaming_bulk(
			self.client,
			actions,
			chunk_size=self.chunk_size,
			max_retries=self.max_retries,
			initial_backoff=self.initial_backoff,
			max_backoff=self.max_backoff,
			raise_on_error=False,
			raise_on_exception=True,
		)
		return failed_ids(results)

	def _physical_indices(self) -> list[str]:
		if not self.client.indices.exists_alias(name=self.alias):
			return []
		response = self.client.indices.get_alias(name=self.alias)
		return sorted(getattr(response, "body", response).keys())

	def _create_physical(self, name: str, alias: bool) -> None:
		from elasticsearch import exceptions as es_exceptions

		bad_request = (
			getattr(es_exceptions, "BadRequestError", None) or es_exceptions.RequestError
		)  # 8.x / 7.x
		body = index_body()
		try:
			self.client.indices.create(
				index=name,
				settings=body["settings"],
				mappings=body["mappings"],
				aliases={self.alias: {}} if alias else None,
			)
		except bad_request as exc:
			if "resource_already_exists" not in str(exc):
				raise

	# ---- contract --------------------------------------------------------------------------
	def ensure_schema(self) -> None:
		def run():
			if not self.client.indices.exists_alias(name=self.alias):
				self._create_physical(f"{self.alias}-000001", alias=True)
				return
			response = self.client.indices.get_mapping(index=self.alias)
			for name in outdated_indices(dict(getattr(response, "body", response))):
				# additive only: new fields join the old documents, which reconcile then rewrites
				self.client.indices.put_mapping(
					index=name, properties=mapping_properties(), meta={"km_schema": INDEX_SCHEMA}
				)

		self._retry(run)

	def _index_once(self, passages: list[Passage]) -> int:
		gen = uuid.uuid4().hex
		article_of = {p.id: p.article_id for p in passages}
		failed = self._bulk(
			{"_op_type": "index", "_index": self.alias, "_id": p.id, "_source": passage_source(p, gen)}
			for p in passages
		)
		bad_articles = {article_of.get(i, _article_of(i)) for i in failed}
		versions: dict[str, str] = {}
		for p in passages:
			versions.setdefault(p.article_id, p.modified)
		good = [a for a in versions if a not in bad_articles]
		if good:
			self.client.delete_by_query(
				index=self.alias,
				query={
					"bool": {
						"filter": [{"terms": {"article_id": good}}, {"term": {"kind": "p"}}],
						"must_not": [{"term": {"gen": gen}}],
					}
				},
				conflicts="proceed",
				refresh=True,
			)
		actions = [
			{
				"_op_type": "index",
				"_index": self.alias,
				"_id": f"{a}#manifest",
				"_source": manifest_source(a, versions[a], gen),
			}
			for a in good
		] + [{"_op_type": "delete", "_index": self.alias, "_id": f"{a}#manifest"} for a in bad_articles]
		manifest_failed = {i for i in self._bulk(actions) if i.endswith("#manifest")}
		self.client.indices.refresh(index=self.alias)
		missing = sorted(bad_articles | {_article_of(i) for i in manifest_failed if _article_of(i) in good})
		if missing:
			raise SearchBackendError(f"indexing failed for articles: {', '.join(missing[:20])}")
		return len(passages)

	def index(self, passages: Iterable[Passage]) -> int:
		passages = list(passages)
		if not passages:
			return 0
		self.ensure_schema()
		return self._retry(lambda: self._index_once(passages))

	def delete(self, article_ids: Iterable[str]) -> None:
		ids = [str(a) for a in article_ids]
		if ids:
			self._retry(
				lambda: self.client.delete_by_query(
					index=self.alias, query={"terms": {"article_id": ids}}, conflicts="proceed", refresh=True
				)
			)

	def clear(self) -> None:
		self._retry(
			lambda: self.client.delete_by_query(
				index=self.alias, query={"match_all": {}}, conflicts="proceed", refresh=True
			)
		)

	def rebuild(self, passages: Iterable[Passage]) -> int:
		new_index = f"{self.alias}-{int(time.time() * 1000)}"
		self._retry(lambda: self._create_physical(new_index, alias=False))
		gen = uuid.uuid4().hex
		count = 0

		def actions() -> Iterator[dict]:
			nonlocal count
			current, modified = None, ""
			for p in passages:
				if current is not None and p.article_id != current:
					yield {
						"_op_type": "index",
						"_index": new_index,
						"_id": f"{current}#manifest",
						"_source": manifest_source(current, modified, gen),
					}
				current, modified = p.article_id, p.modified
				count += 1
				yield {
					"_op_type": "index",
					"_index": new_index,
					"_id": p.id,
					"_source": passage_source(p, gen),
				}
			if current is not None:
				yield {
					"_op_type": "index",
					"_index": new_index,
					"_id": f"{current}#manifest",
					"_source": manifest_source(current, modified, gen),
				}

		try:
			failed = self._bulk(actions())
			if failed:
				raise SearchBackendError(f"rebuild failed for {len(failed)} documents; alias left unchanged")
			self.client.indices.refresh(index=new_index)
		except BaseException:
			self.client.indices.delete(index=new_index, ignore_unavailable=True)
			raise
		old = self._physical_indices()
		swap = [{"remove": {"index": name, "alias": self.alias}} for name in old]
		swap.append({"add": {"index": new_index, "alias": self.alias}})
		self._retry(lambda: self.client.indices.update_aliases(actions=swap))
		for name in old:
			self.client.indices.delete(index=name, ignore_unavailable=True)
		return count

	def search(self, query: SearchQuery) -> list[Hit]:
		body = build_search_body(query, self.weights(query))
		if body is None or query.limit <= 0:
			return []
		response = self._retry(lambda: self.client.search(index=self.alias, **body))
		hits = []
		for h in response["hits"]["hits"]:
			src = h["_source"]
			hits.append(
				Hit(
					passage_id=src["id"],
					article_id=src["article_id"],
					score=float(h["_score"] or 0.0),
					modified=src.get("modified", ""),
					**src["data"],
				)
			)
		return hits

	def count(self, query: SearchQuery) -> int:
		dsl = build_query_dsl(query, self.weights(query))
		if dsl is None:
			return 0
		response = self._retry(
			lambda: self.client.search(
				index=self.alias,
				query=dsl,
				size=0,
				track_total_hits=False,
				aggs={"articles": {"cardinality": {"field": "article_id", "precision_threshold": 40000}}},
			)
		)
		return int(response["aggregations"]["articles"]["value"])

	def doc_freqs(self, terms: list[str]) -> dict[str, int]:
		if not terms:
			return {}
		response = self._retry(
			functools.partial(
				self.client.search,
				index=self.alias,
				size=0,
				track_total_hits=False,
				aggs={"term_counts": {"filters": {"filters": term_count_filters(terms)}}},
			)
		)
		buckets = response["aggregations"]["term_counts"]["buckets"]
		return {t: int(buckets.get(t, {}).get("doc_count", 0)) for t in terms}

	def indexed_versions(self) -> dict[str, str]:
		versions: dict[str, str] = {}
		search_after = None
		while True:
			kwargs = {"search_after": search_after} if search_after else {}
			response = self._retry(
				functools.partial(
					self.client.search,
					index=self.alias,
					size=5000,
					query={"bool": {"filter": [{"term": {"kind": "m"}}, {"term": {"schema": INDEX_SCHEMA}}]}},
					sort=[{"article_id": "asc"}],
					source=["article_id", "modified"],
					track_total_hits=False,
					**kwargs,
				)
			)
			batch = response["hits"]["hits"]
			for h in batch:
				versions[h["_source"]["article_id"]] = h["_source"].get("modified", "")
			if len(batch) < 5000:
				return versions
			search_after = batch[-1]["sort"]

	def drop(self) -> None:
		"""Delete the alias and its physical indices (benchmarks and tests only)."""
		for name in self._physical_indices():
			self.client.indices.delete(index=name, ignore_unavailable=True)

	def close(self) -> None:
		try:
			self.client.close()
		except Exception:  # closing is best effort
			pass

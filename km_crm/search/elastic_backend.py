"""Elasticsearch backend (the only module that imports `elasticsearch`; loaded lazily by the factory).

- Works with the 7.17 client against 7.x servers and the 8.x client against 8.x servers: calls use
  forms both clients accept, and es_compat.py holds what differs (how a client is built).
- Readers use an alias `<prefix>-km-passages`; rebuild() fills a new physical index (refresh off,
  no replicas, bulk requests sent from two threads while the next ones are analysed) and swaps the
  alias atomically (one update_aliases call), then drops the old index: no downtime.
- Fields hold the analysed terms from analysis.py, indexed by a whitespace analyzer, with the
  default BM25 similarity (k1=1.2, b=0.75, as in tantivy), so both engines rank the same terms.
- Reads (search, count, word counts) have their own client: one attempt, a short timeout, and a
  pause after a failure (es_compat.READ_TIMEOUT, FAILURE_PAUSE); they raise SearchBackendError,
  which the app answers with its fallback. Writes run in background jobs: bulk requests retry 429s
  with exponential backoff (helpers.streaming_bulk), and whole calls are retried on connection
  errors. An article's manifest (its version) is written only after all its passages were accepted;
  a failed article has its manifest removed, so reconcile sees it missing.
- Word counts for typo correction come from the term statistics of an artificial document
  (_termvectors: dictionary look-ups, no query); the counts of query words are remembered for a
  minute, so most searches are a single request. The neighbours of a word no passage holds come
  from the term suggester, all text fields in one request.
- Snippet highlighting is done by ranking.highlight on the stored plain text (the engine's own
  highlighter would mark the analysed term strings, not the text a user reads); that keeps
  highlights identical on both backends.
- The mapping's `_meta.km_schema` and every manifest carry the document layout (INDEX_SCHEMA). An
  index of an older layout gets the new fields added in place and its articles count as not indexed,
  so the next reconcile rewrites them while the old documents keep answering searches.
- Query DSL works on Elasticsearch 7.10+ and 8.x.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

from km_crm.search import es_compat
from km_crm.search.backend import (
	COUNTED_FIELDS,
	INDEX_SCHEMA,
	ROLE_ANY,
	TEXT_FIELDS,
	Hit,
	IndexStats,
	SearchBackend,
	SearchBackendError,
	SearchQuery,
	category_keys,
	rank_order,
	scope_key,
	tie_key,
)
from km_crm.search.documents import Passage, passage_terms
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
_HIT_FIELDS = ("id", "article_id", "modified", "title_units")
DISPLAY_BATCH = 12  # display data read per request: the best passages of this many articles
DISPLAY_CACHE = 4096  # passages whose display data a process keeps, by id and version
NEIGHBOURS = 20  # typo neighbours asked for per word and field, the most common first


def alias_name(prefix: str | None) -> str:
	"""A valid, lower-case index alias for a site prefix (e.g. the site name)."""
	clean = re.sub(r"[^a-z0-9_-]+", "-", (prefix or "km").lower()).strip("-_+.")
	return f"{clean or 'km'}-km-passages"


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
		"title_units": title_unit_count(p.title),
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


def client_major() -> int | None:
	"""The major version of the installed `elasticsearch` client, None when none is installed."""
	try:
		import elasticsearch
	except ImportError:
		return None
	return int(elasticsearch.VERSION[0])


def server_version(settings: dict, timeout: float = 3.0) -> str:
	"""The version number the server at settings["es_url"] reports. Read with a plain HTTP request,
	not the client, which may be of the wrong major for the server. SearchBackendError when the
	server does not answer as Elasticsearch (unreachable, refused credentials, another service).

	settings: es_url, es_api_key or es_username/es_password, verify_certs (as factory.get_backend)."""
	import base64
	import json
	import ssl
	import urllib.request

	headers = {"Accept": "application/json"}
	if settings.get("es_api_key"):
		headers["Authorization"] = f"ApiKey {settings['es_api_key']}"
	elif settings.get("es_username"):
		pair = f"{settings['es_username']}:{settings.get('es_password') or ''}".encode()
		headers["Authorization"] = f"Basic {base64.b64encode(pair).decode()}"
	context = ssl._create_unverified_context() if settings.get("verify_certs") is False else None
	request = urllib.request.Request(settings["es_url"].rstrip("/") + "/", headers=headers)
	try:
		with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:
			return str(json.loads(answer.read())["version"]["number"])
	except Exception as exc:  # any failure means: not an Elasticsearch we can use
		raise SearchBackendError(f"no Elasticsearch answers at {settings['es_url']}: {exc}") from exc


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


REBUILD_BATCH = 5000  # bulk actions read ahead, then sent by the parallel helper


def _batches(items: Iterable, size: int) -> Iterator[list]:
	batch = []
	for item in items:
		batch.append(item)
		if len(batch) >= size:
			yield batch
			batch = []
	if batch:
		yield batch


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


def bad_request_error() -> type[Exception]:
	"""The client's class for a 400 answer (BadRequestError in 8.x, RequestError in 7.x)."""
	from elasticsearch import exceptions

	return getattr(exceptions, "BadRequestError", None) or exceptions.RequestError


def _body(response) -> dict:
	return getattr(response, "body", response)


def _stale_passages(article_ids: list[str], gen: str) -> dict:
	return {
		"bool": {
			"filter": [{"terms": {"article_id": article_ids}}, {"term": {"kind": "p"}}],
			"must_not": [{"term": {"gen": gen}}],
		}
	}


class _DisplayCache:
	"""Display data of recently shown passages, by (passage id, modified): a new version of an
	article is a new key, so nothing stale is ever shown; the oldest entries go first."""

	def __init__(self, size: int = DISPLAY_CACHE) -> None:
		self.size = size
		self.entries: OrderedDict[tuple[str, str], dict] = OrderedDict()
		self.lock = threading.Lock()

	def get(self, key: tuple[str, str]) -> dict | None:
		with self.lock:
			data = self.entries.get(key)
			if data is not None:
				self.entries.move_to_end(key)
			return data

	def put(self, key: tuple[str, str], data: dict) -> None:
		with self.lock:
			self.entries[key] = data
			self.entries.move_to_end(key)
			while len(self.entries) > self.size:
				self.entries.popitem(last=False)


class _DisplayReader:
	"""The display data of one search's hits, read when ranking first asks for one: from the
	process's cache, else that passage and the best passages of the next articles in rank order,
	DISPLAY_BATCH articles a request (ranking reads the best passage of each article it may show,
	in this order)."""

	def __init__(self, backend: ElasticBackend) -> None:
		self.backend = backend
		self.version: dict[str, str] = {}
		self.position: dict[str, int] = {}
		self.firsts: list[str] = []  # the best passage of each article, in rank order
		self.asked: set[str] = set()
		self.found: dict[str, dict] = {}  # read by this search, whichever version came

	def rank(self, hits: list[dict]) -> None:
		"""hits: doc values of the hits, in rank order."""
		seen = set()
		for i, values in enumerate(hits):
			pid = values["id"]
			self.position[pid] = i
			self.version[pid] = values.get("modified") or ""
			if values["article_id"] not in seen:
				seen.add(values["article_id"])
				self.firsts.append(pid)

	def display(self, passage_id: str) -> dict:
		cache = self.backend.display_cache
		data = self.found.get(passage_id) or cache.get((passage_id, self.version.get(passage_id, "")))
		if data is None and passage_id not in self.asked:
			after = self.position.get(passage_id, -1)
			later = [
				p
				for p in self.firsts
				if self.position[p] > after
				and p not in self.asked
				and p != passage_id
				and cache.get((p, self.version[p])) is None
			]
			wanted = [passage_id, *later[: DISPLAY_BATCH - 1]]
			self.asked.update(wanted)
			for h in self.backend._read("search", **display_body(wanted))["hits"]["hits"]:
				source = h["_source"]
				found = {
					**source["data"],
					"passage_id": source["id"],
					"article_id": source["article_id"],
					"modified": source.get("modified", ""),
				}
				cache.put((source["id"], found["modified"]), found)
				self.found[source["id"]] = found
			data = self.found.get(passage_id)
		# a passage deleted since the search still names its article
		return data or {"passage_id": passage_id, "article_id": _article_of(passage_id)}


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
		reader=None,
		failure_pause: float = es_compat.FAILURE_PAUSE,
		known_words_ttl: float = 60.0,
	) -> None:
		self.client = client  # writes (background jobs): patient, retried
		self.reader = reader or client  # reads (searches people wait for): one short attempt
		self.alias = alias_name(index_prefix)
		self.field_weights = dict(field_weights or {})
		self.max_retries = max_retries
		self.initial_backoff = initial_backoff
		self.max_backoff = max_backoff
		self.chunk_size = chunk_size
		self.failure_pause = failure_pause
		self.known_words_ttl = known_words_ttl
		self._reads_paused_until = 0.0
		self._known_words: dict[str, tuple[float, int]] = {}  # word -> (when looked up, passages)
		self._stats: tuple[float, IndexStats] | None = None  # (when read, stats)
		self._lock = threading.Lock()
		self.display_cache = _DisplayCache()

	@classmethod
	def from_settings(cls, settings: dict) -> ElasticBackend:
		import elasticsearch

		major = elasticsearch.VERSION[0]
		write = es_compat.client_kwargs(
			major, settings, timeout=es_compat.WRITE_TIMEOUT, retries=es_compat.WRITE_RETRIES
		)
		read_timeout = float(settings.get("es_read_timeout") or es_compat.READ_TIMEOUT)
		read = es_compat.client_kwargs(major, settings, timeout=read_timeout, retries=0)
		return cls(
			elasticsearch.Elasticsearch(**write),
			settings.get("index_prefix"),
			field_weights=settings.get("field_weights"),
			reader=elasticsearch.Elasticsearch(**read),
		)

	# ---- helpers ---------------------------------------------------------------------------
	def _retry(self, fn: Callable[[], object]):
		"""Run a write, retrying connection problems with exponential backoff (background jobs)."""
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

	def _read(self, call: str, **kwargs) -> dict:
		"""One attempt of a read on the reader client; any failure is a SearchBackendError, and
		further reads fail at once until the pause after it is over."""
		if time.monotonic() < self._reads_paused_until:
			raise SearchBackendError("Elasticsearch did not answer a moment ago; not asking again yet")
		try:
			return _body(getattr(self.reader, call)(index=self.alias, **kwargs))
		except Exception as exc:
			if not _is_client_error(exc):
				raise
			if _is_unavailable(exc):
				self._reads_paused_until = time.monotonic() + self.failure_pause
			raise SearchBackendError(f"Elasticsearch search failed: {exc}") from exc

	def _bulk(self, actions: Iterable[dict], threads: int = 1) -> set[str]:
		from elasticsearch import helpers

		if threads > 1:
			results = helpers.parallel_bulk(
				self.client,
				actions,
				thread_count=threads,
				chunk_size=self.chunk_size,
				raise_on_error=False,
				raise_on_exception=True,
			)
		else:
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
		return sorted(_body(self.client.indices.get_alias(name=self.alias)).keys())

	def _create_physical(self, name: str, alias: bool, bulk_load: bool = False) -> None:
		body = index_body()
		settings = dict(body["settings"])
		if bulk_load:  # nothing reads it until the alias swap: no refreshes, no replica to feed
			settings.update(refresh_interval="-1", number_of_replicas=0, auto_expand_replicas=False)
		try:
			self.client.indices.create(
				index=name,
				settings=settings,
				mappings=body["mappings"],
				aliases={self.alias: {}} if alias else None,
			)
		except bad_request_error() as exc:
			if "resource_already_exists" not in str(exc):
				raise

	def _forget_words(self) -> None:
		self._known_words.clear()
		self._stats = None

	# ---- contract --------------------------------------------------------------------------
	def ensure_schema(self) -> None:
		def run():
			if not self.client.indices.exists_alias(name=self.alias):
				self._create_physical(f"{self.alias}-000001", alias=True)
				return
			response = _body(self.client.indices.get_mapping(index=self.alias))
			for name in outdated_indices(dict(response)):
				# additive only: new fields join the old documents, which reconcile then rewrites
				self.client.indices.put_mapping(
					index=name,
					body={"properties": mapping_properties(), "_meta": {"km_schema": INDEX_SCHEMA}},
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
				body={"query": _stale_passages(good, gen)},
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
		self._forget_words()
		return self._retry(lambda: self._index_once(passages))

	def _delete_where(self, query: dict) -> None:
		self._retry(
			lambda: self.client.delete_by_query(
				index=self.alias, body={"query": query}, conflicts="proceed", refresh=True
			)
		)
		self._forget_words()

	def delete(self, article_ids: Iterable[str]) -> None:
		ids = [str(a) for a in article_ids]
		if ids:
			self._delete_where({"terms": {"article_id": ids}})

	def clear(self) -> None:
		self._delete_where({"match_all": {}})

	def rebuild(self, passages: Iterable[Passage]) -> int:
		new_index = f"{self.alias}-{int(time.time() * 1000)}"
		self._retry(lambda: self._create_physical(new_index, alias=False, bulk_load=True))
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
			failed: set[str] = set()
			# the passages are read on the calling thread (they may come from the site's database,
			# which the bulk helper's sending threads cannot use); each batch is sent in parallel
			for batch in _batches(actions(), REBUILD_BATCH):
				failed |= self._bulk(batch, threads=2)
			if failed:
				raise SearchBackendError(f"rebuild failed for {len(failed)} documents; alias left unchanged")
			settings = index_body()["settings"]
			self.client.indices.put_settings(
				index=new_index,
				body={
					"index": {
						"refresh_interval": None,
						"auto_expand_replicas": settings["auto_expand_replicas"],
					}
				},
			)
			self.client.indices.refresh(index=new_index)
		except BaseException:
			self.client.indices.delete(index=new_index, ignore_unavailable=True)
			raise
		old = self._physical_indices()
		swap = [{"remove": {"index": name, "alias": self.alias}} for name in old]
		swap.append({"add": {"index": new_index, "alias": self.alias}})
		self._retry(lambda: self.client.indices.update_aliases(body={"actions": swap}))
		for name in old:
			self.client.indices.delete(index=name, ignore_unavailable=True)
		self._forget_words()
		return count

	def search(self, query: SearchQuery) -> list[Hit]:
		weights = self.weights(query)
		body = build_search_body(query, weights)
		if body is None or query.limit <= 0:
			return []
		found = self._read("search", **body)["hits"]["hits"]
		# passages tied with the last one kept may lie beyond it: ask for all of them, then cut by tie key
		while len(found) == body["size"] and found[-1]["_score"] == found[query.limit - 1]["_score"]:
			body["size"] *= 4
			found = self._read("search", **body)["hits"]["hits"]
		values = [hit_values(h) for h in found]
		scores = [float(h["_score"] or 0.0) for h in found]
		ties = [tie_key(v["id"]) for v in values]
		kept = [
			values[i] | {"score": scores[i], "tie": ties[i]} for i in rank_order(scores, ties)[: query.limit]
		]
		reader = _DisplayReader(self)
		reader.rank(kept)
		return [
			Hit(
				score=v["score"],
				tie=v["tie"],
				group=tie_key(v["article_id"]),
				title_units=v.get("title_units"),
				loader=functools.partial(reader.display, v["id"]),
			)
			for v in kept
		]

	def count(self, query: SearchQuery) -> int:
		dsl = build_query_dsl(query, self.weights(query))
		if dsl is None:
			return 0
		response = self._read(
			"search",
			query=dsl,
			size=0,
			track_total_hits=False,
			aggs={"articles": {"cardinality": {"field": "article_id", "precision_threshold": 40000}}},
		)
		return int(response["aggregations"]["articles"]["value"])

	def doc_freqs(self, terms: list[str]) -> dict[str, int]:
		"""Counts of query words are remembered for a minute (typo candidates are not: hundreds per
		word). A word that appeared meanwhile in another process is at worst also corrected."""
		terms = list(dict.fromkeys(terms))
		if not terms:
			return {}
		now = time.monotonic()
		fresh = now - self.known_words_ttl
		counts = {t: seen[1] for t in terms if (seen := self._known_words.get(t)) and seen[0] > fresh}
		unknown = [t for t in terms if t not in counts]
		if unknown:
			response = self._read("termvectors", body=term_statistics_body(unknown))
			looked_up = doc_freqs_from_term_vectors(response, unknown)
			counts.update(looked_up)
			if len(unknown) <= 64:
				with self._lock:
					if len(self._known_words) > 50_000:
						self._known_words.clear()
					self._known_words.update((t, (now, n)) for t, n in looked_up.items())
		return {t: counts[t] for t in terms}

	def neighbour_freqs(self, word: str) -> dict[str, int]:
		"""One request: Elasticsearch's term suggester lists, per text field, the most common terms
		one edit from `word` with their counts."""
		response = self._read("search", size=0, track_total_hits=False, suggest=term_suggest_body([word]))
		return neighbours_from_suggest(response, [word])[word]

	def stats(self) -> IndexStats:
		"""Read at most once a minute (it sizes requests and bounds ranking: stale costs little)."""
		now = time.monotonic()
		if self._stats is None or now - self._stats[0] > self.known_words_ttl:
			response = self._read(
				"search",
				size=0,
				query={"term": {"kind": "p"}},
				track_total_hits=True,
				aggs={
					"title_units": {"max": {"field": "title_units"}},
					"articles": {"cardinality": {"field": "article_id", "precision_threshold": 40000}},
				},
			)
			aggs = response.get("aggregations") or {}
			passages = (response["hits"].get("total") or {}).get("value", 0)
			articles = aggs.get("articles", {}).get("value") or 0
			self._stats = (
				now,
				IndexStats(
					passages_per_article=passages / articles if articles else 1.0,
					max_title_units=int(aggs.get("title_units", {}).get("value") or 0),
					passages=int(passages or 0),
				),
			)
		return self._stats[1]

	def indexed_versions(self) -> dict[str, str]:
		versions: dict[str, str] = {}
		search_after = None
		while True:
			kwargs = {"search_after": search_after} if search_after else {}
			response = self._retry(
				lambda kwargs=kwargs: _body(
					self.client.search(
						index=self.alias,
						size=5000,
						query={
							"bool": {"filter": [{"term": {"kind": "m"}}, {"term": {"schema": INDEX_SCHEMA}}]}
						},
						sort=[{"article_id": "asc"}],
						_source=["article_id", "modified"],
						track_total_hits=False,
						**kwargs,
					)
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
		for client in {id(self.client): self.client, id(self.reader): self.reader}.values():
			try:
				client.close()
			except Exception:  # closing is best effort
				pass


def _is_client_error(exc: Exception) -> bool:
	"""An error raised by the elasticsearch client or its transport (not a bug of ours)."""
	module = type(exc).__module__ or ""
	return module.startswith(("elasticsearch", "elastic_transport"))


def _is_unavailable(exc: Exception) -> bool:
	"""No answer, or the server says it cannot serve now (a reason to stop asking for a moment)."""
	from elasticsearch import ConnectionError as ESConnectionError
	from elasticsearch import ConnectionTimeout

	status = getattr(exc, "status_code", None) or getattr(getattr(exc, "meta", None), "status", None)
	return isinstance(exc, ESConnectionError | ConnectionTimeout) or status in (429, 502, 503, 504)

"""Elasticsearch backend (the only module that imports `elasticsearch`; loaded lazily by the factory).
The requests it sends and the answers it reads are built by elastic_requests.py (pure).

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
- The vector half (hybrid.py): article vectors live in their own index `<prefix>-km-vectors`
  (ElasticVectorStore: a `dense_vector` field, or long doc values on a server without one, both
  searched by script_score over cosine, equal cosines by tie key as on tantivy). It is never
  filtered: lead_passages asks the passages index which of the nearest articles the reader may
  see (the same filter clauses as search, on the opening passages: `kind` "lead"). delete() and
  clear() remove vectors too; rebuild() keeps them (they are keyed by the text they were made of).
- Query DSL works on Elasticsearch 7.10+ and 8.x.
"""

from __future__ import annotations

import functools
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping

from km_crm.search import es_compat
from km_crm.search.backend import (
	INDEX_SCHEMA,
	Filters,
	Hit,
	IndexStats,
	SearchBackend,
	SearchBackendError,
	SearchQuery,
	VectorStore,
	rank_order,
	tie_key,
)
from km_crm.search.documents import Passage
from km_crm.search.elastic_requests import (
	ENCODING_CODES,
	ENCODING_DENSE,
	ENCODING_KNN,
	KNN_MAX,
	LEAD_BATCH,
	MANIFESTS_PAGE,
	NEAREST_PAGE,
	VECTORS_PAGE,
	VECTORS_SCHEMA,
	alias_name,
	article_of,
	batches,
	build_query_dsl,
	build_search_body,
	count_body,
	display_body,
	display_from_source,
	doc_freqs_from_term_vectors,
	failed_ids,
	hit_values,
	index_body,
	knn_body,
	knn_from_response,
	lead_passages_body,
	manifest_action,
	manifest_delete_action,
	manifests_body,
	mapping_properties,
	nearest_body,
	nearest_from_response,
	neighbours_from_suggest,
	outdated_indices,
	part_passages_body,
	part_vectors_index_name,
	passage_action,
	similarities_body,
	stale_passages,
	stats_body,
	term_statistics_body,
	term_suggest_body,
	vector_action,
	vector_versions_body,
	vectors_index_body,
	vectors_index_name,
	vectors_layout,
)
from km_crm.search.embedding import DIM

DISPLAY_BATCH = 12  # display data read per request: the best passages of this many articles
DISPLAY_CACHE = 4096  # passages whose display data a process keeps, by id and version


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


REBUILD_BATCH = 5000  # bulk actions read ahead, then sent by the parallel helper


def bad_request_error() -> type[Exception]:
	"""The client's class for a 400 answer (BadRequestError in 8.x, RequestError in 7.x)."""
	from elasticsearch import exceptions

	return getattr(exceptions, "BadRequestError", None) or exceptions.RequestError


def _body(response) -> dict:
	return getattr(response, "body", response)


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
				found = display_from_source(h["_source"])
				cache.put((found["passage_id"], found["modified"]), found)
				self.found[found["passage_id"]] = found
			data = self.found.get(passage_id)
		# a passage deleted since the search still names its article
		return data or {"passage_id": passage_id, "article_id": article_of(passage_id)}


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
		self._vectors = ElasticVectorStore(self, vectors_index_name(index_prefix), DIM)
		self._part_vectors = ElasticVectorStore(self, part_vectors_index_name(index_prefix), DIM)

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

	def _read(self, call: str, index: str | None = None, pauses: bool = True, **kwargs) -> dict:
		"""One attempt of a read on the reader client (of the passages, or of `index`); any failure
		is a SearchBackendError, and further reads fail at once until the pause after it is over
		(`pauses=False`: a read whose failure must not stop the others, the vector half's)."""
		if pauses and time.monotonic() < self._reads_paused_until:
			raise SearchBackendError("Elasticsearch did not answer a moment ago; not asking again yet")
		target = self.reader
		for name in call.split("."):  # "search", "indices.get_mapping", ...
			target = getattr(target, name)
		try:
			return _body(target(index=index or self.alias, **kwargs))
		except Exception as exc:
			if not _is_client_error(exc):
				raise
			if _is_unavailable(exc) and pauses:
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
		article_ids = {p.id: p.article_id for p in passages}
		failed = self._bulk(passage_action(self.alias, p, gen) for p in passages)
		bad_articles = {article_ids.get(i, article_of(i)) for i in failed}
		versions: dict[str, str] = {}
		for p in passages:
			versions.setdefault(p.article_id, p.modified)
		good = [a for a in versions if a not in bad_articles]
		if good:
			self.client.delete_by_query(
				index=self.alias,
				body={"query": stale_passages(good, gen)},
				conflicts="proceed",
				refresh=True,
			)
		actions = [manifest_action(self.alias, a, versions[a], gen) for a in good]
		actions += [manifest_delete_action(self.alias, a) for a in bad_articles]
		manifest_failed = {i for i in self._bulk(actions) if i.endswith("#manifest")}
		self.client.indices.refresh(index=self.alias)
		missing = sorted(bad_articles | {article_of(i) for i in manifest_failed if article_of(i) in good})
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
			self.vectors().delete(ids)

	def clear(self) -> None:
		self._delete_where({"match_all": {}})
		self.vectors().clear()
		self.part_vectors().clear()

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
					yield manifest_action(new_index, current, modified, gen)
				current, modified = p.article_id, p.modified
				count += 1
				yield passage_action(new_index, p, gen)
			if current is not None:
				yield manifest_action(new_index, current, modified, gen)

		try:
			failed: set[str] = set()
			# the passages are read on the calling thread (they may come from the site's database,
			# which the bulk helper's sending threads cannot use); each batch is sent in parallel
			for batch in batches(actions(), REBUILD_BATCH):
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

	def vectors(self) -> ElasticVectorStore:
		"""Article vectors in their own index `<prefix>-km-vectors` (ElasticVectorStore)."""
		return self._vectors

	def lead_passages(self, filters: Filters, article_ids: list[str]) -> list[Hit]:
		wanted = list(dict.fromkeys(article_ids))
		found: dict[str, dict] = {}
		for batch in batches(wanted, LEAD_BATCH):
			body = lead_passages_body(filters, batch)
			if body is None:
				return []
			for h in self._read("search", **body)["hits"]["hits"]:
				values = hit_values(h)
				found[values["article_id"]] = values
		# in the order asked (nearest first)
		return self._score_zero_hits([found[a] for a in wanted if a in found])

	def part_passages(self, filters: Filters, parts: list[tuple[str, str]]) -> list[Hit]:
		found: dict[str, dict] = {}
		for batch in batches(list(dict.fromkeys(parts)), LEAD_BATCH):
			body = part_passages_body(filters, batch)
			if body is None:
				return []
			for h in self._read("search", **body)["hits"]["hits"]:
				values = hit_values(h)
				found[values["id"]] = values
		return self._score_zero_hits(sorted(found.values(), key=lambda v: tie_key(v["id"])))

	def part_vectors(self) -> ElasticVectorStore:
		"""Vectors of attached files' parts in their own index `<prefix>-km-part-vectors`."""
		return self._part_vectors

	def _score_zero_hits(self, kept: list[dict]) -> list[Hit]:
		reader = _DisplayReader(self)
		reader.rank(kept)
		return [
			Hit(
				0.0,
				tie=tie_key(v["id"]),
				group=tie_key(v["article_id"]),
				title_units=v.get("title_units"),
				loader=functools.partial(reader.display, v["id"]),
			)
			for v in kept
		]

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
		response = self._read("search", **count_body(dsl))
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
			response = self._read("search", **stats_body())
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
			body = manifests_body(search_after)
			response = self._retry(lambda body=body: _body(self.client.search(index=self.alias, **body)))
			batch = response["hits"]["hits"]
			for h in batch:
				versions[h["_source"]["article_id"]] = h["_source"].get("modified", "")
			if len(batch) < MANIFESTS_PAGE:
				return versions
			search_after = batch[-1]["sort"]

	def drop(self) -> None:
		"""Delete the alias and its physical indices, and the vectors (benchmarks and tests only)."""
		for name in self._physical_indices():
			self.client.indices.delete(index=name, ignore_unavailable=True)
		self.vectors().drop()
		self.part_vectors().drop()

	def close(self) -> None:
		for client in {id(self.client): self.client, id(self.reader): self.reader}.values():
			try:
				client.close()
			except Exception:  # closing is best effort
				pass


class ElasticVectorStore(VectorStore):
	"""Article vectors in their own index `<prefix>-km-vectors`, one document per article (id = article
	id): the vector, the hash of the text it was made of (`hash`) and the article's tie key (`group`,
	elastic_requests.group_key). Which articles a reader may see is the passages index's business
	(ElasticBackend.lead_passages); this index is never filtered by permission and never shown.

	- The index is made by the first put(): on 8.x with a `dense_vector` indexed for knn searches
	  (ENCODING_KNN), on 7.x with a plain `dense_vector` where the server has one, else with the
	  vector as long doc values (elastic_requests.ENCODING_CODES, an OSS build); an
	  index of another layout or vector width is dropped there and filled again by reconcile (its
	  vectors belong to another model). Until then readers see an empty store.
	- nearest() is one knn search on an ENCODING_KNN index (approximate, up to KNN_MAX neighbours;
	  a server that refuses knn in a search, 8.0-8.3, gets the script from then on), else, like
	  similarities(), one script_score request (brute force over the vectors asked about: all, or
	  the given tie keys), sorted by score and then tie key, so equal cosines come in the same order
	  as on tantivy. Reads use the backend's reader client (one short attempt).
	- put() is a bulk request, delete() and clear() delete by query; each ends with a refresh.
	"""

	def __init__(self, backend: ElasticBackend, index: str, dims: int) -> None:
		self.backend = backend
		self.index = index
		self.dims = dims
		self._encoding: str | None = None  # of the index this process last saw, while its layout holds
		self._paused_until = 0.0  # after a failed read: the vector half waits, searches go on by words
		self._knn_refused = False  # the server refused a knn search (8.0-8.3): brute force instead

	# ---- layout ----------------------------------------------------------------------------
	def _current_encoding(self, mappings: dict) -> str | None:
		layout = vectors_layout(mappings) if mappings else None
		if layout is None or layout[0] != VECTORS_SCHEMA or layout[1] != self.dims:
			return None
		return layout[2]

	def _read(self, call: str, **kwargs) -> dict:
		"""A read of the vectors index. Its failure (a slow script on a large store) pauses the vector
		half alone: searches go on by their words meanwhile (hybrid.retrieve)."""
		if time.monotonic() < self._paused_until:
			raise SearchBackendError("the vector search did not answer a moment ago; words only for now")
		try:
			return self.backend._read(call, pauses=False, **kwargs)
		except SearchBackendError:
			self._paused_until = time.monotonic() + self.backend.failure_pause
			raise

	def _read_encoding(self) -> str | None:
		"""The encoding of the index readers can use; None while there is none of this layout."""
		if self._encoding is None:
			mappings = self._read("indices.get_mapping", index=self.index, ignore_unavailable=True)
			self._encoding = self._current_encoding(mappings)
		return self._encoding

	def _prepare(self) -> str:
		"""The index's encoding, the index made first when it is missing or of another layout."""
		client = self.backend.client
		mappings = _body(client.indices.get_mapping(index=self.index, ignore_unavailable=True))
		encoding = self._current_encoding(mappings)
		if encoding is None and mappings:
			client.indices.delete(index=self.index, ignore_unavailable=True)
		if encoding is None:
			encoding = self._create()
		self._encoding = encoding
		return encoding

	def _create(self) -> str:
		# an 8.x server (the client's major is the server's) indexes the vectors for knn searches
		first = (ENCODING_KNN,) if (client_major() or 0) >= 8 else ()
		for encoding in (*first, ENCODING_DENSE, ENCODING_CODES):
			body = vectors_index_body(self.dims, encoding)
			try:
				self.backend.client.indices.create(
					index=self.index, settings=body["settings"], mappings=body["mappings"]
				)
				return encoding
			except bad_request_error() as exc:
				if "resource_already_exists" in str(exc):  # made meanwhile by another process
					return self._prepare()
				if encoding == ENCODING_CODES or "dense_vector" not in str(exc):
					raise
		raise AssertionError("unreachable")

	# ---- writing ---------------------------------------------------------------------------
	def put(self, vectors: Mapping[str, tuple[str, object]]) -> None:
		items = [(str(a), h, v) for a, (h, v) in vectors.items()]
		for article_id, _h, vector in items:
			if len(vector) != self.dims:
				raise ValueError(f"vector of {article_id} has {len(vector)} dimensions, not {self.dims}")
		if not items:
			return

		def run():
			encoding = self._prepare()  # every time: a missing index must not be made by the bulk
			failed = self.backend._bulk(vector_action(self.index, a, h, v, encoding) for a, h, v in items)
			self.backend.client.indices.refresh(index=self.index)
			if failed:
				raise SearchBackendError(f"vectors not written for: {', '.join(sorted(failed)[:20])}")

		self.backend._retry(run)

	def _delete_where(self, query: dict) -> None:
		self.backend._retry(
			lambda: self.backend.client.delete_by_query(
				index=self.index,
				body={"query": query},
				conflicts="proceed",
				refresh=True,
				ignore_unavailable=True,
			)
		)

	def delete(self, article_ids: Iterable[str]) -> None:
		for batch in batches(dict.fromkeys(str(a) for a in article_ids), LEAD_BATCH):
			self._delete_where({"terms": {"article_id": batch}})

	def clear(self) -> None:
		self._delete_where({"match_all": {}})

	def drop(self) -> None:
		"""Delete the index (benchmarks and tests only)."""
		self.backend.client.indices.delete(index=self.index, ignore_unavailable=True)
		self._encoding = None

	# ---- reading ---------------------------------------------------------------------------
	def count(self) -> int:
		if self._read_encoding() is None:
			return 0
		return int(self._read("count", index=self.index, ignore_unavailable=True)["count"])

	def versions(self) -> dict[str, str]:
		"""Read with the patient client (reconcile, in background jobs)."""
		client = self.backend.client
		mappings = self.backend._retry(
			lambda: _body(client.indices.get_mapping(index=self.index, ignore_unavailable=True))
		)
		if self._current_encoding(mappings) is None:
			return {}
		versions: dict[str, str] = {}
		search_after = None
		while True:
			body = vector_versions_body(search_after)
			response = self.backend._retry(
				lambda body=body: _body(client.search(index=self.index, ignore_unavailable=True, **body))
			)
			batch = response["hits"]["hits"]
			for h in batch:
				versions[h["_source"]["article_id"]] = h["_source"].get("hash", "")
			if len(batch) < VECTORS_PAGE:
				return versions
			search_after = batch[-1]["sort"]

	def nearest(self, vector, k: int) -> list[tuple[str, int, float]]:
		encoding = self._read_encoding() if k > 0 else None
		if encoding is None:
			return []
		if encoding == ENCODING_KNN and k <= KNN_MAX and not self._knn_refused:
			try:
				body = knn_body(vector, k)
				return knn_from_response(
					self._read("search", index=self.index, ignore_unavailable=True, **body)
				)
			except SearchBackendError as exc:
				if "knn" not in str(exc).lower():
					raise
				self._knn_refused = True  # 8.0-8.3: no knn in a search; the script answers
				self._paused_until = 0.0
		found: list[tuple[str, int, float]] = []
		search_after = None
		while len(found) < k:
			body = nearest_body(vector, k - len(found), encoding, search_after)
			response = self._read("search", index=self.index, ignore_unavailable=True, **body)
			found += nearest_from_response(response)
			hits = response["hits"]["hits"]
			if len(hits) < body["size"]:
				break
			search_after = hits[-1]["sort"]
		return found

	def similarities(self, vector, groups: Iterable[int]) -> dict[int, float]:
		groups = list(dict.fromkeys(int(g) for g in groups))
		encoding = self._read_encoding() if groups else None
		if encoding is None:
			return {}
		cosines: dict[int, float] = {}
		for batch in batches(groups, NEAREST_PAGE):
			response = self._read(
				"search",
				index=self.index,
				ignore_unavailable=True,
				**similarities_body(vector, batch, encoding),
			)
			cosines.update((group, cosine) for _a, group, cosine in nearest_from_response(response))
		return cosines


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

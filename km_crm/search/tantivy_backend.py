"""Embedded search backend on tantivy (the `tantivy` wheel): one index folder per site.

- Terms come from analysis.py, stored as whitespace-separated strings in `*_t` fields that
  tantivy's "whitespace" tokenizer indexes as-is, so tantivy ranks exactly our terms (BM25).
- Only passages are stored: BM25 statistics (document count, average length) are per index in
  tantivy, so bookkeeping documents would skew ranking. An article's version is the `modified` of
  its passages, all of which are committed together.
- One writer at a time across processes (tantivy's lock file). A busy lock is retried with
  exponential backoff for `lock_timeout` seconds, then IndexBusyError. Each index() call is one
  commit: either all its articles are replaced or none is (rollback on error).
- Readers notice commits from any process by a cheap stat of meta.json before each search, and
  then take a new searcher snapshot; until then every search uses the same snapshot.
- Queries: a disjunction of boosted term queries (tantivy prunes it with block-max WAND) plus the
  permission filters as single-term queries. A filter that every document of the snapshot passes
  (counted once per snapshot) is left out: it cannot change the answer, and a pure disjunction is
  several times faster.
- Hits carry fast-field values (tie key, article key, Chinese title length) and read the stored
  passage only when ranking asks (Hit.load), so a query decodes the few passages it shows.
- Readers never write: before the first write, or while the folder holds an older layout, they see an
  empty index. The first writer (under a folder lock) wipes an older layout and creates the index;
  reconcile then refills it.
- rebuild() deletes everything and adds the new passages in the same writer transaction, so
  readers keep seeing the old index until the single final commit swaps in the new one.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import random
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable

import tantivy

from km_crm.search.backend import (
	COUNTED_FIELDS,
	INDEX_SCHEMA,
	KIND_LEAD,
	KIND_PART,
	ROLE_ANY,
	TEXT_FIELDS,
	Filters,
	Hit,
	IndexBusyError,
	IndexStats,
	SearchBackend,
	SearchBackendError,
	SearchQuery,
	VectorStore,
	category_keys,
	filter_terms,
	passage_kinds,
	rank_order,
	scope_key,
	tie_key,
)
from km_crm.search.documents import Passage, display_data, passage_terms
from km_crm.search.embedding import DIM
from km_crm.search.spelling import NeighbourTable, is_one_edit, one_edit_away
from km_crm.search.title_match import title_unit_count

SCHEMA_VERSION = INDEX_SCHEMA
_VERSION_FILE = "km_schema_version"
_KIND_PASSAGE = "p"
STORED_CACHE = 2048  # passages whose stored fields a snapshot keeps (ranking shows the same ones often)
TERM_CACHE = 65536  # words whose per-field document counts a snapshot keeps (queries repeat words)
# Up to this many passages, a snapshot answers typo look-ups from a table of all its terms, made on
# the first look-up (stackfaq_en, 528 passages: 40 ms once, then about 10 us a word instead of 250);
# reading every term costs more in a bigger index, whose look-ups go to the term dictionary instead.
TYPO_TABLE_PASSAGES = 2000
_KEPT_LETTERS = 3  # typo neighbours keeping a word's first letters are read in one dictionary walk


def _build_schema() -> tantivy.Schema:
	sb = tantivy.SchemaBuilder()
	sb.add_text_field("id", stored=True, tokenizer_name="raw")
	sb.add_text_field("article_id", stored=True, tokenizer_name="raw", fast=True)
	sb.add_text_field("kind", tokenizer_name="raw")
	sb.add_text_field("modified", stored=True, tokenizer_name="raw")
	for name in ("lang", "audience", "status", "roles", "category", "items", "scope"):
		sb.add_text_field(name, tokenizer_name="raw")
	for name in TEXT_FIELDS:
		sb.add_text_field(f"{name}_t", tokenizer_name="whitespace", index_option="freq")
	sb.add_bytes_field("data", stored=True, indexed=False)
	for name in ("tie", "group", "title_units"):
		sb.add_unsigned_field(name, fast=True)
	return sb.build()


class _Snapshot:
	"""One searcher snapshot and what is known about it: which filters every document passes, and
	the stored fields of the passages read lately (a snapshot never changes, so they stay true)."""

	def __init__(self, searcher: tantivy.Searcher, stamp: tuple | None) -> None:
		self.searcher = searcher
		self.stamp = stamp
		self._passes_all: dict[tuple, bool] = {}
		self._stats: IndexStats | None = None
		self._stored: OrderedDict[tuple[int, int], dict] = OrderedDict()
		self._freqs: dict[str, dict[str, int]] = {}
		self._typo_table: NeighbourTable | None = None
		self._lock = threading.Lock()

	def typo_table(self) -> NeighbourTable | None:
		"""The table of this snapshot's correction candidates, or None for a big index."""
		if self._typo_table is None and self.searcher.num_docs <= TYPO_TABLE_PASSAGES:
			terms = self.searcher.terms_with_prefix
			self._typo_table = NeighbourTable(
				pair for field in COUNTED_FIELDS for pair in terms(f"{field}_t", "")
			)
		return self._typo_table

	def freqs(self, term: str) -> dict[str, int]:
		"""{text field: passages holding `term` there} (every query asks this of each of its words,
		twice: spelling, then query building; one call into tantivy per field)."""
		found = self._freqs.get(term)
		if found is None:
			doc_freq = self.searcher.doc_freq
			found = {name: doc_freq(f"{name}_t", term) for name in TEXT_FIELDS}
			if len(self._freqs) >= TERM_CACHE:
				self._freqs.clear()
			self._freqs[term] = found
		return found

	def stored_fields(self, address) -> dict:
		key = (address.segment_ord, address.doc)
		with self._lock:
			data = self._stored.get(key)
			if data is not None:
				self._stored.move_to_end(key)
				return data
		data = _stored_fields(self.searcher, address)
		with self._lock:
			self._stored[key] = data
			while len(self._stored) > STORED_CACHE:
				self._stored.popitem(last=False)
		return data

	def passes_all(self, key: tuple, query: tantivy.Query) -> bool:
		known = self._passes_all.get(key)
		if known is None:
			total = self.searcher.num_docs
			known = self.searcher.search(query, 1, count=True).count == total
			self._passes_all[key] = known
		return known

	def stats(self) -> IndexStats:
		if self._stats is None:
			everything = tantivy.Query.all_query()
			agg = self.searcher.aggregate(everything, {"m": {"max": {"field": "title_units"}}})
			articles = self.searcher.cardinality(everything, "article_id") if self.searcher.num_docs else 0
			self._stats = IndexStats(
				passages_per_article=self.searcher.num_docs / articles if articles else 1.0,
				max_title_units=int(agg["m"]["value"] or 0),
				passages=int(self.searcher.num_docs),
			)
		return self._stats


def _top_with_ties(searcher: tantivy.Searcher, query: tantivy.Query, limit: int) -> list:
	"""The best `limit` hits plus every hit tied with the last of them (for a stable cut)."""
	n = limit + 1
	while True:
		found = searcher.search(query, n, count=False).hits
		if len(found) < n or found[-1][0] != found[limit - 1][0]:
			return found
		n *= 4


def _stored_fields(searcher: tantivy.Searcher, address) -> dict:
	doc = searcher.doc(address)
	data = json.loads(bytes(doc.get_first("data")))
	data.update(
		passage_id=doc.get_first("id"),
		article_id=doc.get_first("article_id"),
		modified=doc.get_first("modified") or "",
	)
	return data


def _group_by_article(passages: Iterable[Passage]) -> dict[str, list[Passage]]:
	grouped: dict[str, list[Passage]] = {}
	for p in passages:
		grouped.setdefault(p.article_id, []).append(p)
	return grouped


class TantivyBackend(SearchBackend):
	def __init__(
		self,
		path: str,
		field_weights: dict[str, float] | None = None,
		lock_timeout: float = 60.0,
		heap_size: int = 128_000_000,
		num_threads: int = 1,
	) -> None:
		self.path = os.fspath(path)
		self.field_weights = dict(field_weights or {})
		self.lock_timeout = lock_timeout
		self.heap_size = heap_size
		self.num_threads = num_threads
		self.schema = _build_schema()
		self._index: tantivy.Index | None = None
		self._empty: tantivy.Index | None = None
		self._snapshot: _Snapshot | None = None
		self._clauses: dict[tuple[str, str, float], tantivy.Query] = {}  # (field, term, boost)
		self._lock = threading.Lock()
		self._vectors: VectorStore | None = None
		self._part_vectors: VectorStore | None = None

	def vectors(self) -> VectorStore:
		"""Article vectors in `<index folder>-vectors` (vector_store.py)."""
		if self._vectors is None:
			from km_crm.search.vector_store import FileVectorStore  # numpy: only when vectors are used

			self._vectors = FileVectorStore(f"{self.path.rstrip(os.sep)}-vectors", DIM)
		return self._vectors

	def part_vectors(self) -> VectorStore:
		"""Vectors of attached files' parts in a folder beside the article vectors'."""
		if self._part_vectors is None:
			from km_crm.search.vector_store import FileVectorStore

			self._part_vectors = FileVectorStore(f"{self.path.rstrip(os.sep)}-part-vectors", DIM)
		return self._part_vectors

	# ---- opening and freshness -------------------------------------------------------------
	def ensure_schema(self) -> None:
		"""Create the index when there is none; an index of an older layout waits for the next write."""
		if not os.path.exists(os.path.join(self.path, "meta.json")):
			self._open_for_write()

	def _layout_current(self) -> bool:
		try:
			with open(os.path.join(self.path, _VERSION_FILE), encoding="utf-8") as fh:
				version = fh.read().strip()
		except FileNotFoundError:
			return False
		return version == SCHEMA_VERSION and os.path.exists(os.path.join(self.path, "meta.json"))

	def _open_for_read(self) -> tantivy.Index | None:
		"""The index, or None while there is none of the current layout (readers never write)."""
		if self._index is None and self._layout_current():
			with self._lock:
				if self._index is None:
					self._index = tantivy.Index(self.schema, path=self.path, reuse=True)
		return self._index

	def _open_for_write(self) -> tantivy.Index:
		"""The index, created, or wiped and recreated when it has an older layout (a derived cache:
		reconcile refills it). Done under a folder lock so two writers never upgrade at once."""
		if self._index is not None:
			return self._index
		with self._lock:
			if self._index is None:
				os.makedirs(self.path, exist_ok=True)
				with open(f"{self.path.rstrip(os.sep)}.lock", "a") as lock:
					fcntl.flock(lock, fcntl.LOCK_EX)
					try:
						if not self._layout_current():
							self._wipe_folder()
							tantivy.Index(self.schema, path=self.path, reuse=True)
							with open(os.path.join(self.path, _VERSION_FILE), "w", encoding="utf-8") as fh:
								fh.write(SCHEMA_VERSION)
					finally:
						fcntl.flock(lock, fcntl.LOCK_UN)
				self._index = tantivy.Index(self.schema, path=self.path, reuse=True)
		return self._index

	def _wipe_folder(self) -> None:
		for name in os.listdir(self.path):
			target = os.path.join(self.path, name)
			if os.path.isdir(target):
				shutil.rmtree(target)
			else:
				os.remove(target)

	def _meta_state(self) -> tuple | None:
		try:
			st = os.stat(os.path.join(self.path, "meta.json"))
		except FileNotFoundError:
			return None
		return (st.st_mtime_ns, st.st_ino, st.st_size)

	def _searcher(self) -> tantivy.Searcher:
		return self._current().searcher

	def _current(self) -> _Snapshot:
		"""The searcher snapshot of the last commit seen (a new one after any process commits)."""
		index = self._open_for_read()
		if index is None:
			return _Snapshot(self._empty_index().searcher(), None)
		stamp = self._meta_state()
		snapshot = self._snapshot
		if snapshot is None or snapshot.stamp != stamp:
			index.reload()
			snapshot = self._snapshot = _Snapshot(index.searcher(), stamp)
		return snapshot

	# ---- writing ---------------------------------------------------------------------------
	def _empty_index(self) -> tantivy.Index:
		if self._empty is None:
			self._empty = tantivy.Index(self.schema)  # in memory: what readers see before the first write
		return self._empty

	def _writer(self, num_threads: int | None = None) -> tantivy.IndexWriter:
		index = self._open_for_write()
		deadline = time.monotonic() + self.lock_timeout
		delay = 0.02
		while True:
			try:
				return index.writer(self.heap_size, num_threads or self.num_threads)
			except ValueError as exc:
				if "LockBusy" not in str(exc) and "lock" not in str(exc).lower():
					raise SearchBackendError(f"cannot open the search index writer: {exc}") from exc
				if time.monotonic() >= deadline:
					raise IndexBusyError(
						f"search index at {self.path} is being written by another process; "
						f"gave up after {self.lock_timeout:.0f}s"
					) from exc
				time.sleep(delay * (0.5 + random.random()))
				delay = min(delay * 2, 1.0)

	def _write(self, action, num_threads: int | None = None) -> int:
		writer = self._writer(num_threads)
		try:
			written = action(writer)
			writer.commit()
		except BaseException:
			writer.rollback()
			raise
		finally:
			writer.wait_merging_threads()  # releases the lock
		return written

	def _passage_document(self, p: Passage) -> tantivy.Document:
		terms = passage_terms(p)
		doc = tantivy.Document(
			id=p.id,
			article_id=p.article_id,
			kind=passage_kinds(p),
			modified=p.modified,
			lang=p.lang,
			audience=p.audience,
			status=p.status,
			roles=list(p.roles) or [ROLE_ANY],
			category=category_keys(p.category_path),
			items=list(p.items),
			scope=list(p.scope),
			**{f"{name}_t": terms[name] for name in TEXT_FIELDS},
		)
		doc.add_bytes("data", json.dumps(display_data(p), ensure_ascii=False, separators=(",", ":")).encode())
		doc.add_unsigned("tie", tie_key(p.id))
		doc.add_unsigned("group", tie_key(p.article_id))
		doc.add_unsigned("title_units", title_unit_count(p.title))
		return doc

	def _add_articles(
		self, writer: tantivy.IndexWriter, passages: Iterable[Passage], delete_first: bool
	) -> int:
		written = 0
		for article_id, group in _group_by_article(passages).items():
			if delete_first:
				writer.delete_documents_by_term("article_id", article_id)
			for p in group:
				writer.add_document(self._passage_document(p))
				written += 1
		return written

	def index(self, passages: Iterable[Passage]) -> int:
		passages = list(passages)
		if not passages:
			return 0
		return self._write(lambda w: self._add_articles(w, passages, delete_first=True))

	def delete(self, article_ids: Iterable[str]) -> None:
		ids = [str(a) for a in article_ids]
		if not ids:
			return

		def action(writer):
			for article_id in ids:
				writer.delete_documents_by_term("article_id", article_id)
			return 0

		self._write(action)
		self.vectors().delete(ids)

	def clear(self) -> None:
		self._write(lambda w: w.delete_all_documents() or 0)
		self.vectors().clear()
		self.part_vectors().clear()

	def rebuild(self, passages: Iterable[Passage]) -> int:
		def action(writer):
			writer.delete_all_documents()
			return self._add_articles(writer, passages, delete_first=False)

		return self._write(action, num_threads=max(1, min(4, os.cpu_count() or 1)))

	# ---- reading ---------------------------------------------------------------------------
	def _term(self, field: str, value: str) -> tantivy.Query:
		return tantivy.Query.term_query(self.schema, field, value)

	def _clause(self, field: str, term: str, boost: float) -> tantivy.Query:
		"""The boosted term query of one query word in one text field (queries repeat words, and
		a query object is immutable: made once)."""
		key = (field, term, boost)
		q = self._clauses.get(key)
		if q is None:
			q = self._term(f"{field}_t", term)
			if boost != 1.0:
				q = tantivy.Query.boost_query(q, boost)
			if len(self._clauses) >= TERM_CACHE:
				self._clauses.clear()
			self._clauses[key] = q
		return q

	def _any_of(self, field: str, values: Iterable[str]) -> tantivy.Query:
		terms = [self._term(field, v) for v in dict.fromkeys(values)]
		if len(terms) == 1:
			return terms[0]
		return tantivy.Query.boolean_query([(tantivy.Occur.Should, t) for t in terms])

	def _filters(self, filters: Filters) -> list[tuple[tuple, tantivy.Query]] | None:
		"""(key, filter query) pairs; None when the filters can match nothing."""
		terms = filter_terms(filters)
		if terms is None:
			return None
		clauses = [((field, *sorted(values)), self._any_of(field, values)) for field, values in terms]
		if filters.scopes is not None:
			key = (
				"scope",
				repr(sorted(sorted((f, sorted(v)) for f, v in s.items()) for s in filters.scopes)),
			)
			clauses.append((key, self._any_scope(filters.scopes)))
		return clauses

	def _any_scope(self, scopes) -> tantivy.Query:
		"""Matches a passage that satisfies every field of at least one scope."""
		alternatives = []
		for scope in scopes:
			musts = [
				(tantivy.Occur.Must, self._any_of("scope", [scope_key(field, v) for v in values]))
				for field, values in scope.items()
			]
			alternatives.append((tantivy.Occur.Should, tantivy.Query.boolean_query(musts)))
		return tantivy.Query.boolean_query(alternatives)

	def _build(self, query: SearchQuery, snapshot: _Snapshot) -> tantivy.Query | None:
		filters = self._filters(query.filters)
		if filters is None or not query.terms:
			return None
		weights = self.weights(query)
		should = []
		for qt in query.terms:
			freqs = snapshot.freqs(qt.term)
			for field, fw in weights.items():
				if freqs[field]:  # an absent term changes no score: leaving it out saves a scorer
					should.append((tantivy.Occur.Should, self._clause(field, qt.term, qt.weight * fw)))
		if not should:
			return None
		terms = tantivy.Query.boolean_query(should)
		needed = [f for key, f in filters if not snapshot.passes_all(key, f)]
		if not needed:
			return terms
		clauses = [(tantivy.Occur.Must, terms)]
		clauses.extend((tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in needed)
		return tantivy.Query.boolean_query(clauses)

	def search(self, query: SearchQuery) -> list[Hit]:
		if query.limit <= 0:
			return []
		snapshot = self._current()
		q = self._build(query, snapshot)
		if q is None:
			return []
		searcher = snapshot.searcher
		found = _top_with_ties(searcher, q, query.limit)
		if not found:
			return []
		ties = [t or 0 for t in searcher.fast_field_values("tie", [address for _, address in found])]
		# the stable cut first (equal scores by tie key), then Hits for the kept ones
		kept = rank_order([score for score, _ in found], ties)[: query.limit]
		addresses = [found[i][1] for i in kept]
		groups = searcher.fast_field_values("group", addresses)
		title_units = searcher.fast_field_values("title_units", addresses)
		return [
			Hit(
				score=float(found[i][0]),
				tie=ties[i],
				group=group or 0,
				title_units=units,
				loader=functools.partial(snapshot.stored_fields, address),
			)
			for i, address, group, units in zip(kept, addresses, groups, title_units, strict=True)
		]

	def stats(self) -> IndexStats:
		return self._current().stats()

	def lead_passages(self, filters: Filters, article_ids: list[str]) -> list[Hit]:
		return self._passages_of_kinds(filters, [KIND_LEAD], article_ids, len(article_ids))

	def part_passages(self, filters: Filters, parts: list[tuple[str, str]]) -> list[Hit]:
		articles = list(dict.fromkeys(a for a, _p in parts))
		kinds = list(dict.fromkeys(KIND_PART + p for _a, p in parts))
		return self._passages_of_kinds(filters, kinds, articles, len(articles) * len(kinds))

	def _passages_of_kinds(self, filters: Filters, kinds: list[str], article_ids: list[str], most: int):
		"""Passages of one of these kinds of these articles that the filters allow, score 0."""
		snapshot = self._current()
		clauses = self._filters(filters)
		if clauses is None or not article_ids or not kinds:
			return []
		q = tantivy.Query.boolean_query(
			[
				(tantivy.Occur.Must, self._any_of("kind", kinds)),
				(tantivy.Occur.Must, self._any_of("article_id", article_ids)),
				*((tantivy.Occur.Must, f) for _key, f in clauses),
			]
		)
		searcher = snapshot.searcher
		addresses = [a for _s, a in searcher.search(q, max(1, most), count=False).hits]
		values = zip(
			addresses,
			searcher.fast_field_values("tie", addresses),
			searcher.fast_field_values("group", addresses),
			searcher.fast_field_values("title_units", addresses),
			strict=True,
		)
		return [
			Hit(
				0.0,
				tie=tie or 0,
				group=group or 0,
				title_units=units,
				loader=functools.partial(snapshot.stored_fields, address),
			)
			for address, tie, group, units in values
		]

	def count(self, query: SearchQuery) -> int:
		snapshot = self._current()
		q = self._build(query, snapshot)
		if q is None:
			return 0
		return round(snapshot.searcher.cardinality(q, "article_id"))

	def doc_freqs(self, terms: list[str]) -> dict[str, int]:
		snapshot = self._current()
		return {t: max(snapshot.freqs(t)[f] for f in COUNTED_FIELDS) for t in terms}

	def neighbour_freqs(self, word: str) -> dict[str, int]:
		"""A small index answers from its snapshot's table (spelling.NeighbourTable). In a bigger one,
		the neighbours that keep the word's first letters come from one walk of each field's term
		dictionary under those letters; only the others (an edit among the first letters, about 160)
		are looked up one by one, and in the title and heading fields only when tantivy's fuzzy
		query finds any term near the word there (mostly it does not). The text field is not asked
		that way: its dictionary is large, and in a Chinese index the fuzzy query walks much of it
		(10 ms a word on insuranceqa_zh)."""
		snapshot = self._current()
		table = snapshot.typo_table()
		if table is not None:
			return table.neighbour_freqs(word)
		searcher = snapshot.searcher
		counts: dict[str, int] = {}
		head = word[:_KEPT_LETTERS]
		edited = sorted(one_edit_away(word, within=_KEPT_LETTERS))
		doc_freq = searcher.doc_freq
		for field in COUNTED_FIELDS:
			name = f"{field}_t"
			if field != "text":
				near = tantivy.Query.fuzzy_term_query(
					self.schema, name, word, distance=1, transposition_cost_one=True
				)
				if not searcher.search(near, 1, count=False).hits:
					continue
			found = [(t, n) for t, n in searcher.terms_with_prefix(name, head) if is_one_edit(word, t)]
			found.extend((t, doc_freq(name, t)) for t in edited)
			for term, n in found:
				if n > counts.get(term, 0):
					counts[term] = n
		return counts

	def indexed_versions(self) -> dict[str, str]:
		# All passages of an article are committed together, so any passage tells its version.
		searcher = self._searcher()
		total = searcher.num_docs
		if not total:
			return {}
		versions = {}
		for _, address in searcher.search(tantivy.Query.all_query(), total, count=False).hits:
			doc = searcher.doc(address)
			versions[doc.get_first("article_id")] = doc.get_first("modified") or ""
		return versions

	def passage_count(self) -> int:
		return self._searcher().search(self._term("kind", _KIND_PASSAGE), 1, count=True).count

	def close(self) -> None:
		self._index = None

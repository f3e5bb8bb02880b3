"""Semantic search on this site: which searches use the vector half, and the jobs that embed.

Vectors are made in background jobs only (long queue, low priority, one thread): after an article or
a ticket is indexed, and after the nightly reconcile. A job compares the hash of each record's
embedded text (embedding.text_hash) with what the engine's store holds and embeds only what is new or
changed, a small batch at a time, storing each batch as it goes: a worker that dies mid-way loses one
batch, and the next job (or the nightly one) carries on. Until its vector exists, a record is found
by its words. Articles no longer live lose their vectors.
"""

import os

import frappe
from frappe.utils import add_days, now_datetime

from km_crm import testing
from km_crm.search import embedding, engines, hybrid, indexer
from km_crm.search import question_means as question_means_of
from km_crm.search.analysis import detect_language
from km_crm.search.backend import SearchBackendError, part_vector_key
from km_crm.search.documents import embedding_source, part_vectors
from km_crm.search.vector_store import unpack

BATCH = 16  # texts embedded and stored together (about 3-5 seconds of one core)
PART_BATCH = 5000  # part vectors (already made) stored together: each store rewrites its generation


def enabled() -> bool:
	"""Whether searches on this site use the vector half (switched on, and the model runs here)."""
	return bool(frappe.get_cached_doc("KM Search Settings").semantic_search) and embedding.available()


def on_article_change(doc, method=None) -> None:
	"""KM Article's doc_events, beside the indexer's: a live article's vector follows its text."""
	if indexer.touches_index(doc, method):
		enqueue(ARTICLES_JOB)


ARTICLES_JOB = "km_crm.search.semantic.embed_articles"
TICKETS_JOB = "km_crm.tickets.ticket_index.embed_vectors"
QUESTIONS_JOB = "km_crm.search.semantic.update_question_means"
QUESTIONS_PER_LANGUAGE = 300  # the latest distinct questions of a language that make its mean
QUESTION_WINDOW_DAYS = 180


def enqueue(job: str, after_commit: bool = True) -> None:
	"""Queue an embedding job (a dotted path: ARTICLES_JOB, TICKETS_JOB), after the commit unless
	told otherwise, one at a time per site and job. Saves during an install or a migrate queue
	nothing: after_migrate queues both jobs once."""
	if testing.RUN:
		if testing.RUN.embed:
			frappe.get_attr(job)()
		return
	if (frappe.flags.in_install or frappe.flags.in_migrate) and after_commit:
		return
	if not enabled():
		return
	try:
		frappe.enqueue(
			job,
			queue="long",
			job_id=f"km_crm:embed:{frappe.local.site}:{job}",
			deduplicate=True,
			enqueue_after_commit=after_commit,
		)
	except Exception:
		frappe.log_error(title="km_crm: could not queue the embedding of search vectors")


def embed_articles() -> dict:
	"""The job (and nightly repair) of the articles' vectors, and of their attached files' pages'."""
	found = indexer.live_article_names()
	return embed_records(
		engines.backend(),
		[
			(name, lambda name=name: indexer.load_article(name))
			for name in sorted(found, key=found.get, reverse=True)
		],
		with_parts=True,
	)


def embed_records(engine, sources: list[tuple[str, object]], with_parts: bool = False) -> dict:
	"""Embed the records whose vector is missing or stale, most recent first (`sources`: [(id, loader
	of the record the index holds)]); drop the vectors of records no longer among them. `with_parts`:
	also keep the engine's part vectors in step with the records' attached files (documents.part_vectors:
	made when the file was read, so they are copied, not embedded)."""
	if not enabled():
		return {"embedded": 0, "removed": 0}
	if getattr(frappe.local, "job", None):
		os.nice(10)  # in the job's own process: web requests come first
	store = engine.vectors()
	if store is None:
		return {"embedded": 0, "removed": 0}
	parts = _PartVectors(engine.part_vectors()) if with_parts else None
	held = store.versions()
	gone = held.keys() - {key for key, _load in sources}
	if gone:
		store.delete(gone)
	embedded, batch = 0, {}
	for key, load in sources:
		record = load()
		if not record:
			continue
		text = embedding.passage_text(*embedding_source(record))
		digest = embedding.text_hash(text)
		if held.get(key) != digest:
			batch[key] = (digest, text)
		if len(batch) >= BATCH:
			embedded += _store(store, batch)
			batch = {}
		if parts is not None:
			parts.keep(key, record)
	if batch:
		embedded += _store(store, batch)
	out = {"embedded": embedded, "removed": len(gone)}
	if parts is not None:
		out["pages"] = parts.finish()
	return out


class _PartVectors:
	"""The part vectors of the records one embedding job goes through: new or changed ones stored in
	batches, the ones of parts no longer there dropped at the end."""

	def __init__(self, store) -> None:
		self.store = store
		self.held = store.versions() if store is not None else {}
		self.wanted: set[str] = set()
		self.batch: dict = {}
		self.stored = 0

	def keep(self, record_key: str, record: dict) -> None:
		if self.store is None:
			return
		for part, packed in part_vectors(record).items():
			key = part_vector_key(record_key, part)
			self.wanted.add(key)
			digest = embedding.text_hash(packed)
			vector = unpack(packed)
			if self.held.get(key) != digest and vector is not None and len(vector) == embedding.DIM:
				self.batch[key] = (digest, vector)
			if len(self.batch) >= PART_BATCH:
				self._flush()

	def _flush(self) -> None:
		if self.batch:
			self.store.put(self.batch)
			self.stored += len(self.batch)
			self.batch = {}

	def finish(self) -> int:
		if self.store is None:
			return 0
		self._flush()
		gone = self.held.keys() - self.wanted
		if gone:
			self.store.delete(gone)
		return self.stored


def _store(store, batch: dict[str, tuple[str, str]]) -> int:
	keys = list(batch)
	vectors = embedding.embed_passages([batch[k][1] for k in keys])
	store.put({k: (batch[k][0], v) for k, v in zip(keys, vectors, strict=True)})
	return len(keys)


def question_means() -> dict:
	"""{lang: LanguageMean of this site's questions} (question_means.py), as the last job left them."""
	global _means
	text = frappe.get_cached_doc("KM Search Settings").get("question_means") or ""
	if _means[0] != text:
		_means = (text, question_means_of.from_json(text))
	return _means[1]


_means: tuple[str, dict] = ("", {})


def update_question_means() -> dict:
	"""The job (nightly, and after an install or upgrade): the mean vector of each language's latest
	questions on this site (its search log: desk, portal, tickets, API), stored in KM Search Settings.
	{lang: questions}; a language with fewer than question_means.MIN_QUESTIONS has none."""
	if not enabled():
		return {}
	if getattr(frappe.local, "job", None):
		os.nice(10)
	asked = recent_questions()
	vectors = {lang: [embedding.embed_query(text) for text in texts] for lang, texts in asked.items()}
	found = {
		lang: question_means_of.with_levels(mean, _levels(mean))
		for lang, mean in question_means_of.means(vectors).items()
	}
	frappe.db.set_single_value(
		"KM Search Settings", "question_means", question_means_of.to_json(found), update_modified=False
	)
	frappe.clear_document_cache("KM Search Settings", "KM Search Settings")
	return {lang: mean.questions for lang, mean in found.items()}


def _levels(mean) -> dict[str, float]:
	"""The store's article levels for this mean ({} while the engine is away: the candidates' average
	stands in for them, hybrid.retrieve)."""
	try:
		return hybrid.article_levels(engines.backend(), mean)
	except SearchBackendError:
		frappe.logger("km_crm").warning("question means: the search engine did not answer; no levels")
		return {}


def recent_questions() -> dict[str, list[str]]:
	"""{lang: up to QUESTIONS_PER_LANGUAGE distinct questions of the search log}, the latest first."""
	since = add_days(now_datetime(), -QUESTION_WINDOW_DAYS)
	texts = frappe.get_all(
		"KM Search Log",
		filters={"event": "Search", "searched_on": (">=", since)},
		pluck="query",
		order_by="searched_on desc",
		limit=QUESTIONS_PER_LANGUAGE * 10,
	)
	found: dict[str, list[str]] = {}
	seen = set()
	for text in texts:
		text = " ".join((text or "").split())
		if not text or text.casefold() in seen:
			continue
		seen.add(text.casefold())
		lang_texts = found.setdefault(detect_language(text), [])
		if len(lang_texts) < QUESTIONS_PER_LANGUAGE:
			lang_texts.append(text)
	return found


def nearest_records(text: str, k: int) -> dict[str, float]:
	"""{article name or ticket ref: cosine} of the k articles and k resolved tickets whose vectors are
	nearest the text ({} when search by meaning is off or the engine is away). For weighing evidence
	(experts), never shown: whoever is shown a record is asked about it separately."""
	if not (text or "").strip() or not enabled():
		return {}
	vector = embedding.embed_query(text)
	found = {}
	for index in (engines.ARTICLES, engines.TICKETS):
		try:
			store = engines.backend(index).vectors()
			if store is not None:
				found.update((ref, cosine) for ref, _group, cosine in store.nearest(vector, k))
		except SearchBackendError:
			continue
	return found


def status() -> dict:
	"""What KM Search Settings shows: whether semantic search runs, and how much of each index (the
	articles, the resolved tickets) has its vectors."""
	settings = frappe.get_cached_doc("KM Search Settings")
	available = embedding.available()
	out = {
		"switched_on": bool(settings.semantic_search),
		"available": available,
		"reason": None if available else embedding.unavailable_reason(),
		"model": embedding.MODEL,
	}
	out["question_means"] = {
		lang: mean.questions
		for lang, mean in question_means_of.from_json(settings.get("question_means")).items()
	}
	for index in (engines.ARTICLES, engines.TICKETS):
		try:
			engine = engines.backend(index)
			indexed = engine.indexed_versions().keys()
			store = engine.vectors()
			held = len(indexed & store.versions().keys()) if store is not None else 0
			out[index] = {"embedded": held, "total": len(indexed)}
		except Exception:  # the engine is away: say so rather than fail the settings page
			out[index] = {"embedded": None, "total": None}
	try:
		parts = engines.backend().part_vectors()
		out["pages"] = parts.count() if parts is not None else 0
	except Exception:
		out["pages"] = None
	return out

"""Keeps the search index in step with the articles.

Saving, publishing, retiring or deleting an article enqueues (after commit, deduplicated) a job
that re-indexes its live version. Only background jobs write the index. A nightly reconcile
compares modified times with the index and repairs whatever was missed while the engine was down.
"""

import json
from contextlib import contextmanager

import frappe
from frappe.utils import cstr

from km_crm import constants as C
from km_crm import testing
from km_crm.knowledge import lifecycle, version_files
from km_crm.knowledge.doctype.km_category.km_category import category_path
from km_crm.search import engines, service
from km_crm.search.backend import SearchBackendError

INDEXED_STATUS = C.PUBLISHED  # every live version is indexed as published content


def on_article_change(doc, method=None) -> None:
	"""KM Article's doc_events (hooks.py: on_update, after_delete): an article that is live, or was
	live before this change, is indexed again after the commit (a draft that never went live has
	nothing in the index)."""
	if touches_index(doc, method):
		enqueue_article(doc.name)


def touches_index(doc, method: str | None) -> bool:
	"""Whether this change of an article matters to the index: it is live, or was before."""
	before = doc.get_doc_before_save() if method == "on_update" else None
	return (
		method == "after_delete" or bool(doc.published_version) or bool(before and before.published_version)
	)


def enqueue_article(name: str) -> None:
	if testing.RUN:
		testing.RUN.index_now(index_article, name)
		return
	if frappe.flags.in_install or frappe.flags.in_migrate:  # installs have no worker yet
		return
	try:
		frappe.enqueue(
			"km_crm.search.indexer.index_article",
			queue="short",
			job_id=f"km_crm:index:{frappe.local.site}:{name}",
			deduplicate=True,
			enqueue_after_commit=True,
			name=name,
		)
	except Exception:
		# A save never fails because the queue is down: the nightly reconcile repairs the index.
		frappe.log_error(title=f"km_crm: could not queue indexing of {name}")


def index_article(name: str) -> None:
	article = load_article(name)
	with retried_when_engine_away():
		engine = engines.backend()
		if article:
			service.index_articles(engine, [article])
		else:
			engine.delete([name])


@contextmanager
def retried_when_engine_away():
	"""In a background job, an engine that is away (after the backend's own retries with exponential
	backoff) makes the worker run the job again, up to five times with growing pauses
	(frappe.RetryBackgroundJobError); after that the job fails and the nightly reconcile repairs it."""
	try:
		yield
	except SearchBackendError as exc:
		if not getattr(frappe.local, "job", None):
			raise
		raise frappe.RetryBackgroundJobError(str(exc)) from exc


def live_article_names() -> dict[str, str]:
	"""{article: modified} for every article that has a live version."""
	rows = frappe.get_all(
		"KM Article",
		filters=lifecycle.live_article_filters(),
		fields=["name", "modified"],
	)
	return {r.name: cstr(r.modified) for r in rows}


def load_article(name: str) -> dict | None:
	"""The article dict the search layer indexes: the live version's frozen content, or None."""
	row = frappe.db.get_value(
		"KM Article", name, ["name", "status", "published_version", "modified"], as_dict=True
	)
	if not row or not lifecycle.is_live(row.status, bool(row.published_version)):
		return None
	snapshot = json.loads(
		frappe.db.get_value("KM Article Version", row.published_version, "snapshot") or "{}"
	)
	return {
		"name": row.name,
		"title": snapshot.get("title") or "",
		"summary": snapshot.get("summary") or "",
		"issue": snapshot.get("issue") or "",
		"environment": snapshot.get("environment") or "",
		"resolution": snapshot.get("resolution") or "",
		"cause": snapshot.get("cause") or "",
		"language": snapshot.get("language") or "en",
		"audience": snapshot.get("audience") or "Internal",
		"status": INDEXED_STATUS,
		"category_path": category_path(snapshot.get("category")),
		"items": snapshot.get("items") or [],
		"tags": snapshot.get("tags") or [],
		"roles": [],
		"modified": cstr(row.modified),
		"files": live_files(row.published_version),
	}


def live_files(version: str) -> list[dict]:
	"""The text of a version's files as documents.article_to_passages reads it: only files read to
	text (KM File Text "Extracted"); none when KM Search Settings turns searching files off."""
	if not frappe.get_cached_doc("KM Search Settings").search_attachments:
		return []
	rows = version_files.attached_files(version_files.VERSION, version)
	if not rows:
		return []
	texts = dict(
		frappe.get_all(
			"KM File Text",
			filters={"name": ("in", [r.content_hash for r in rows]), "status": C.FILE_EXTRACTED},
			fields=["name", "parts"],
			as_list=True,
		)
	)
	files, seen = [], set()
	for r in rows:
		if r.content_hash in texts and r.content_hash not in seen:
			seen.add(r.content_hash)
			files.append(
				{
					"file_name": r.file_name,
					"content_hash": r.content_hash,
					"private": bool(r.is_private),
					"parts": json.loads(texts[r.content_hash] or "[]"),
				}
			)
	return files


def reconcile() -> dict:
	"""Nightly: index what is missing or stale, delete what is no longer live."""
	plan = service.reconcile(engines.backend(), live_article_names(), load_article)
	return {"indexed": len(plan.to_index), "deleted": len(plan.to_delete)}


def enqueue_reconcile(method: str = "km_crm.search.indexer.reconcile") -> None:
	"""Queue a reconcile (after a migrate: an index of an older layout starts empty or stale)."""
	if testing.RUN:
		return
	try:
		frappe.enqueue(method, queue="long", job_id=f"km_crm:{method}:{frappe.local.site}", deduplicate=True)
	except Exception:
		# no queue right now: the nightly reconcile does the same work
		frappe.log_error(title="km_crm: could not queue the search reconcile")


def enqueue_rebuild() -> None:
	if testing.RUN or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	frappe.enqueue(
		"km_crm.search.indexer.rebuild",
		queue="long",
		job_id=f"km_crm:rebuild:{frappe.local.site}",
		deduplicate=True,
		enqueue_after_commit=True,
	)


def rebuild(progress=None) -> int:
	"""Rebuild the whole index from the live versions. `progress(done, total)` is called per article."""
	names = sorted(live_article_names())

	def articles():
		for i, name in enumerate(names, 1):
			article = load_article(name)
			if progress:
				progress(i, len(names))
			if article:
				yield article

	from km_crm.search.documents import article_to_passages

	engine = engines.backend()
	return engine.rebuild(p for a in articles() for p in article_to_passages(a))

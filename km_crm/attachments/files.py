"""Reading the files attached to articles, on this site.

An upload attached to an article (or a version's copy made at publishing) queues, after the commit, a
background job that reads the file to text (extract.py, in a child process under the limits of KM
Search Settings > Attached Files) once per content (KM File Text, named by the file's content hash),
logs what could not be read, and indexes again the live articles whose version holds that content.
A daily reconcile reads whatever a lost job left unread. What the article form shows of its files
comes from here too (file_statuses).
"""

import json
import time

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from km_crm import constants as C
from km_crm import testing
from km_crm.attachments import extract
from km_crm.knowledge import version_files
from km_crm.search import embedding, indexer, semantic
from km_crm.search.vector_store import pack

FILE_TEXT = "KM File Text"
RECONCILE_BATCH = 500  # files queued per daily reconcile
VECTOR_BATCH = 50  # read files given their pages' vectors per daily reconcile


def _settings():
	return frappe.get_cached_doc("KM Search Settings")


def limits() -> extract.Limits:
	s = _settings()
	defaults = extract.Limits()
	return extract.Limits(
		max_bytes=(cint(s.attachment_max_mb) or defaults.max_bytes // 2**20) * 2**20,
		max_pages=cint(s.attachment_max_pages) or defaults.max_pages,
		max_seconds=cint(s.attachment_time_limit) or defaults.max_seconds,
	)


def on_file_insert(doc, method=None) -> None:
	"""File after_insert (hooks.py): an article's new file is kept private unless the article is for
	the public, and read in the background."""
	if doc.is_folder or doc.attached_to_doctype not in (version_files.ARTICLE, version_files.VERSION):
		return
	if (
		doc.attached_to_doctype == version_files.ARTICLE
		and not cint(doc.is_private)
		and frappe.db.get_value(version_files.ARTICLE, doc.attached_to_name, "audience") != C.PUBLIC
	):
		# on this very document, so a rollback of the upload removes the moved file too
		doc.is_private = 1
		doc.handle_is_private_changed()
		doc.db_set({"is_private": 1, "file_url": doc.file_url}, update_modified=False)
	if doc.content_hash and not frappe.db.exists(FILE_TEXT, doc.content_hash):
		enqueue_reading(doc.name)
	elif doc.attached_to_doctype == version_files.VERSION:
		index_live_articles_with(doc.content_hash)


def enqueue_reading(file: str) -> None:
	if testing.RUN:
		testing.RUN.index_now(read_file, file)
		return
	try:
		frappe.enqueue(
			"km_crm.attachments.files.read_file",
			queue="long",
			job_id=f"km_crm:read-file:{frappe.local.site}:{file}",
			deduplicate=True,
			enqueue_after_commit=True,
			timeout=_job_timeout(),
			file=file,
		)
	except Exception:
		# an upload never fails because the queue is down: the daily reconcile reads it
		frappe.log_error(title=f"km_crm: could not queue reading file {file}")


def _job_timeout() -> int:
	return limits().max_seconds + 300  # the child's own limit stops it first; then indexing


def read_file(file: str) -> str | None:
	"""Background job: read one file to text (once per content) and index the live articles that hold it."""
	row = frappe.db.get_value("File", file, ["name", "file_name", "content_hash", "is_folder"], as_dict=True)
	if not row or row.is_folder or not row.content_hash:
		return None
	if not frappe.db.exists(FILE_TEXT, row.content_hash):
		_store(row, _extract(row))
	index_live_articles_with(row.content_hash)
	return frappe.db.get_value(FILE_TEXT, row.content_hash, "status")


def _extract(row) -> tuple[extract.Extraction, float]:
	started = time.monotonic()
	try:
		content = frappe.get_doc("File", row.name).get_content()
	except Exception as exc:  # gone from disk, unreadable
		return extract.Extraction(C.FILE_FAILED, "broken", {"error": type(exc).__name__}), 0.0
	if isinstance(content, str):  # Frappe hands back text files decoded
		content = content.encode()
	result = extract.extract_isolated(content, row.file_name or "", limits())
	return result, time.monotonic() - started


def _store(row, extracted: tuple[extract.Extraction, float]) -> None:
	result, seconds = extracted
	parts = [p for p in result.as_dict()["parts"]]
	vector_model = add_vectors(parts, row.file_name or "")
	message = problem_message(row.file_name or "", result.status, result.problem, result.detail)
	doc = frappe.get_doc(
		{
			"doctype": FILE_TEXT,
			"content_hash": row.content_hash,
			"file_name": row.file_name,
			"status": result.status,
			"problem": result.problem,
			"detail": json.dumps(result.detail, ensure_ascii=False) if result.detail else "",
			"message": message,
			"pages": result.pages,
			"characters": sum(len(p["text"]) for p in parts),
			"seconds": round(seconds, 2),
			"extracted_on": now_datetime(),
			"parts": json.dumps(parts, ensure_ascii=False, separators=(",", ":")),
			"vector_model": vector_model,
		}
	)
	try:
		doc.insert(ignore_permissions=True)
	except frappe.DuplicateEntryError:
		return  # the same content read by another job at the same time
	if result.status != C.FILE_EXTRACTED:
		frappe.log_error(title=_("Could not search {0}").format(row.file_name), message=message)


def add_vectors(parts: list[dict], file_name: str) -> str:
	"""Each part's own vector (its heading, or the file's name, and its opening text), when this site
	searches by meaning: ranking reads a page's meaning from it (ranking.fuse). Returns the model."""
	if not parts or not semantic.enabled():
		return ""
	texts = [embedding.passage_text(p.get("heading") or file_name, p.get("text") or "") for p in parts]
	for part, vector in zip(parts, embedding.embed_passages(texts), strict=True):
		part["vector"] = pack(vector)
	return embedding.MODEL


def add_missing_vectors(limit: int = VECTOR_BATCH) -> int:
	"""Files read before search by meaning was on (or with another model) get their pages' vectors."""
	if not semantic.enabled():
		return 0
	done = 0
	# (Frappe's "!=" counts a record without a model as "", so those come too)
	for row in frappe.get_all(
		FILE_TEXT,
		filters={"status": C.FILE_EXTRACTED, "vector_model": ("!=", embedding.MODEL)},
		fields=["name", "file_name", "parts"],
		limit=limit,
	):
		parts = json.loads(row.parts or "[]")
		model = add_vectors(parts, row.file_name or "")
		frappe.db.set_value(
			FILE_TEXT,
			row.name,
			{"parts": json.dumps(parts, ensure_ascii=False, separators=(",", ":")), "vector_model": model},
			update_modified=False,
		)
		index_live_articles_with(row.name)
		done += 1
	return done


def index_live_articles_with(content_hash: str) -> None:
	"""Index again every live article whose live version holds a file with this content."""
	versions = frappe.get_all(
		"File",
		filters={"attached_to_doctype": version_files.VERSION, "content_hash": content_hash},
		pluck="attached_to_name",
	)
	if not versions:
		return
	names = frappe.get_all(
		version_files.ARTICLE, filters={"published_version": ("in", versions)}, pluck="name"
	)
	for name in names:
		indexer.enqueue_article(name)
	if names:
		semantic.enqueue(semantic.ARTICLES_JOB)  # the pages' vectors join the vector half


def problem_message(file_name: str, status: str, problem: str, detail: dict) -> str:
	"""What the article form and the error log say about a file that could not be searched."""
	d = detail or {}
	if status == C.FILE_EXTRACTED:
		return ""
	messages = {
		"too_large": lambda: _("{0} is larger than the {1} MB read per file, so it is not searched.").format(
			file_name, round((d.get("limit") or 0) / 2**20, 1)
		),
		"too_many_pages": lambda: (
			_("{0} has {1} rows, more than the {2} read per file, so it is not searched.").format(
				file_name, d.get("rows"), d.get("row_limit")
			)
			if d.get("rows")
			else _("{0} has {1} pages, more than the {2} read per file, so it is not searched.").format(
				file_name, d.get("pages"), d.get("limit")
			)
		),
		"bomb": lambda: _(
			"{0} unpacks to far more data than it holds (a file bomb?), so it was not opened."
		).format(file_name),
		"unsupported": lambda: _("Files of type {0} are not read, so {1} is not searched.").format(
			d.get("extension") or "?", file_name
		),
		"encrypted": lambda: _(
			"{0} is protected by a password and cannot be read, so it is not searched. Attach it without a password."
		).format(file_name),
		"broken": lambda: _("{0} could not be read: it looks damaged ({1}).").format(
			file_name, d.get("error") or "?"
		),
		"timeout": lambda: _(
			"Reading {0} took longer than {1} seconds and was stopped, so it is not searched."
		).format(file_name, d.get("seconds")),
		"too_much_memory": lambda: _(
			"Reading {0} needed more memory than allowed and was stopped, so it is not searched."
		).format(file_name),
		"no_text_layer": lambda: _(
			"{0} has no text to read (a scanned document?): its pages are not searched. Attach a PDF with text, or write the text into the article."
		).format(file_name),
		"empty": lambda: _("{0} holds no text.").format(file_name),
	}
	make = messages.get(problem)
	return make() if make else _("{0} could not be read, so it is not searched.").format(file_name)


def file_statuses(article: str) -> list[dict]:
	"""The article's files as its form shows them: read or not (and why), and whether the live
	version holds them (only a published version's files are searched)."""
	rows = version_files.attached_files(version_files.ARTICLE, article)
	if not rows:
		return []
	texts = {
		t.name: t
		for t in frappe.get_all(
			FILE_TEXT,
			filters={"name": ("in", [r.content_hash for r in rows])},
			fields=["name", "status", "problem", "detail", "pages"],
		)
	}
	live = frappe.db.get_value(version_files.ARTICLE, article, "published_version")
	live_hashes = (
		{r.content_hash for r in version_files.attached_files(version_files.VERSION, live)} if live else set()
	)
	searching = bool(_settings().search_attachments)
	out = []
	for r in rows:
		t = texts.get(r.content_hash)
		if not t:
			message, state = _("{0} is being read.").format(r.file_name), "reading"
		elif t.status != C.FILE_EXTRACTED:
			message = problem_message(r.file_name, t.status, t.problem, json.loads(t.detail or "{}"))
			state = "problem"
		elif not searching:
			message, state = (
				_("{0}: read, but searching inside files is turned off.").format(r.file_name),
				"off",
			)
		elif r.content_hash in live_hashes:
			message, state = (
				_("{0}: {1} pages or sheets read and searchable.").format(r.file_name, t.pages),
				"live",
			)
		else:
			message = _("{0}: {1} pages or sheets read; searchable once this version is published.").format(
				r.file_name, t.pages
			)
			state = "draft"
		out.append({"file": r.name, "file_name": r.file_name, "state": state, "message": message})
	return out


def reconcile() -> int:
	"""Daily: queue reading every article file whose content has no KM File Text (a lost job, a
	worker that died mid-way, files attached before this site read files), and give the pages of files
	read without search by meaning their vectors."""
	add_missing_vectors()
	done = set(frappe.get_all(FILE_TEXT, pluck="name"))
	queued = 0
	for row in frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": ("in", (version_files.ARTICLE, version_files.VERSION)),
			"is_folder": 0,
		},
		fields=["name", "content_hash"],
		order_by="creation desc",
	):
		if row.content_hash and row.content_hash not in done:
			done.add(row.content_hash)
			enqueue_reading(row.name)
			queued += 1
			if queued >= RECONCILE_BATCH:
				break
	return queued

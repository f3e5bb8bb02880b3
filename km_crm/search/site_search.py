"""Knowledge search on this site, as every door asks it (the desk, the portal, tickets, ticket forms,
Helpdesk): the reader's audiences, the engine or its title fallback, rows with the reader's routes,
and the search log that teaches ranking and finds knowledge gaps. Endpoints (api/) stay thin."""

import json
import re
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import now

from km_crm import constants as C
from km_crm.knowledge import version_files
from km_crm.permissions import readers
from km_crm.search import engines, priors, reader_language, semantic, service
from km_crm.search.analysis import (
	EN_QUERY_STOP_WORDS,
	STOP_WORDS,
	analyze_query,
	detect_language,
	normalize,
	query_key,
)
from km_crm.search.backend import Filters, SearchBackendError
from km_crm.search.highlight import highlight
from km_crm.search.hybrid import comparable_cosine
from km_crm.search.ranking import ArticleResult
from km_crm.visitors import visitor_key

CHANNELS = ("Desk", "Portal", "Ticket", "API")
MAX_QUERY_CHARS = 10_000
SEARCH_MEMORY_SECONDS = 3600  # a click is accepted for an hour after the search that showed the article
FALLBACK_WORDS = 6  # longest query terms matched against titles while the search engine is away
MSG_SEARCH_REDUCED = "Search is running in a reduced mode right now: only article titles are matched."


def _settings():
	return frappe.get_cached_doc("KM Search Settings")


def search_rows(query: str, **options) -> list[dict]:
	"""Results for `user` (default: the session user), as the endpoints return them, without the
	fallback's message (options: those of search_answer)."""
	return search_answer(query, **options)[0]


def search_answer(
	query: str,
	*,
	limit: int = 10,
	lang: str | None = None,
	user: str | None = None,
	suggestions: bool = False,
) -> tuple[list[dict], str | None]:
	"""(results, message): when the search engine does not answer (quickly), a title match over the
	live articles under the same audience rule, and a message that says so. `suggestions`: articles
	offered unasked (tickets, ticket forms), weak matches left out (search/confidence.py)."""
	user = user or frappe.session.user
	audiences = readers.audiences_for(user)
	try:
		results = (service.suggest_articles if suggestions else service.search_articles)(
			engines.backend(),
			query,
			# roles: passages of a Public article's private files are for signed-in readers only
			Filters.of(audiences=audiences, lang=lang, roles=frappe.get_roles(user)),
			synonyms=engines.synonyms(),
			priors=priors.for_query(query) if _settings().use_usage_signals else None,
			limit=limit,
			semantic=semantic.enabled(),
			question_means=semantic.question_means(),
		)
	except SearchBackendError as exc:
		frappe.logger("km_crm").warning(f"search engine unavailable, title fallback: {exc}")
		return _rows(_title_matches(query, audiences, lang, limit), user), _(MSG_SEARCH_REDUCED)
	return reader_language.in_reader_language(_rows(results, user, query), query, user), None


def _rows(results, user: str, query: str = "") -> list[dict]:
	"""Rows as the doors return them. `word_score`: the score of the words alone (BM25 with titles);
	`semantic`: the cosine with the question as ranking compares it (None without search by meaning)."""
	routes = readers.live_routes([r.article_id for r in results], user) if readers.is_desk_user(user) else {}
	lang = detect_language(query) if query else ""
	files = file_links(results)
	return [
		{
			"article": r.article_id,
			"title": r.title,
			"title_html": r.title_html,
			"heading": r.heading,
			"snippet_html": r.snippet_html,
			"score": round(r.score, 4),
			"language": r.lang,
			"audience": r.audience,
			"route": routes.get(r.article_id),
			"word_score": round(_word_score(r), 4),
			"semantic": None if r.semantic is None else round(comparable_cosine(r.semantic, r.lang, lang), 4),
			"file": files.get(r.article_id),
		}
		for r in results
	]


def file_links(results) -> dict[str, dict]:
	"""{article: where its shown passage is in an attached file}: the file's name, page (or sheet and
	rows), a label ("Manual.pdf, page 4") and the URL that opens the live version's file
	(km_crm.api.files.open_file, under the article's read rule) at that page where the viewer allows it."""
	found = {r.article_id: r.file for r in results if getattr(r, "file", None)}
	if not found:
		return {}
	live = dict(
		frappe.get_all(
			"KM Article",
			filters={"name": ("in", list(found))},
			fields=["name", "published_version"],
			as_list=True,
		)
	)
	links = {}
	for article, where in found.items():
		row = version_files.version_file(live.get(article), where.get("hash")) if live.get(article) else None
		url = None
		if row:
			url = f"/api/method/km_crm.api.files.open_file?{urlencode({'article': article, 'file': row.content_hash})}"
			if where.get("page") and (row.file_name or "").lower().endswith(".pdf"):
				url = f"{url}#page={where['page']}"
		links[article] = {**where, "label": file_label(where), "url": url}
	return links


def file_label(where: dict) -> str:
	"""Where a passage is, as a reader reads it: "Manual.pdf, page 4", "Codes.xlsx, sheet Errors, rows 2-21"."""
	name, page, sheet = where.get("name") or "", where.get("page"), where.get("sheet")
	first, last = [*(where.get("rows") or []), 0, 0][:2]
	if page:
		return _("{0}, page {1}").format(name, page)
	if sheet and first:
		return _("{0}, sheet {1}, rows {2}-{3}").format(name, sheet, first, last)
	if sheet:
		return _("{0}, sheet {1}").format(name, sheet)
	return name


def _word_score(r) -> float:
	word = r.explain.word_score if r.explain is not None else None
	return r.score if word is None else word


def _title_matches(query: str, audiences: tuple[str, ...], lang: str | None, limit: int) -> list:
	"""Live versions whose title holds one of the query's longest words or terms (as typed, or
	stemmed, or Chinese character pairs), newest first, restricted to `audiences` in the database
	query itself (the rule the engine applies)."""
	# single terms only: word pairs are the longest terms, so they crowded the query's own words out of
	# the FALLBACK_WORDS, and a pair of stems ("printer_print") is not in the title as typed
	analysed = {t.term for t in analyze_query(query) if not t.synonym and "_" not in t.term}
	typed = {
		w
		for w in re.findall(r"\w{2,}", normalize(query))
		if w not in STOP_WORDS and w not in EN_QUERY_STOP_WORDS
	}
	terms = sorted(analysed | typed, key=lambda t: (-len(t), t))
	if not terms or not audiences:
		return []
	article, version = frappe.qb.DocType("KM Article"), frappe.qb.DocType("KM Article Version")
	matches = None
	for term in terms[:FALLBACK_WORDS]:
		like = version.title.like(f"%{term}%")
		matches = like if matches is None else matches | like
	q = (
		frappe.qb.from_(article)
		.join(version)
		.on(version.name == article.published_version)
		.select(article.name, version.title, version.language, version.audience, article.modified)
		.where(article.status != C.ARCHIVED)  # joined on the published version: lifecycle.is_live
		.where(version.audience.isin(list(audiences)))
		.where(matches)
		.orderby(article.modified, order=frappe.qb.desc)
		.limit(limit)
	)
	if lang:
		q = q.where(version.language == lang)
	marks = analysed
	return [
		ArticleResult(
			article_id=row.name,
			title=row.title,
			score=0.0,
			passage_id="",
			heading="",
			section="",
			snippet_html="",
			title_html=highlight(row.title, marks, max_chars=10_000),
			lang=row.language or "",
			audience=row.audience or "",
		)
		for row in q.run(as_dict=True)
	]


def record_click(
	search_id: str, article: str, position: int = 0, query: str = "", channel: str = "Desk"
) -> None:
	"""Records which result a reader opened; clicks teach ranking and close knowledge gaps.

	A click counts only for an article that the same visitor's search `search_id` returned."""
	if not _settings().log_searches:
		return
	shown = frappe.cache.get_value(_memory_key(search_id))
	if not shown or shown.get("visitor") != visitor_key() or article not in shown.get("articles", ()):
		frappe.throw(_("This click does not belong to a search of yours."), frappe.ValidationError)
	_insert_log(
		{
			"event": "Click",
			"search_id": search_id,
			"query": shown.get("query", "")[:500],
			"query_key": query_key(shown.get("query", "")),
			"channel": channel if channel in CHANNELS else "API",
			"article": article,
			"position": max(0, int(position or 0)),
		}
	)


def _memory_key(search_id: str | None) -> str:
	return f"km_crm:search:{(search_id or '')[:40]}"


def log_search(query: str, channel: str, lang: str | None, rows: list[dict]) -> str | None:
	if not _settings().log_searches or not query.strip():
		return None
	search_id = frappe.generate_hash(length=16)
	articles = [r["article"] for r in rows]
	frappe.cache.set_value(
		_memory_key(search_id),
		{"visitor": visitor_key(), "articles": articles, "query": query[:500]},
		expires_in_sec=SEARCH_MEMORY_SECONDS,
	)
	_insert_log(
		{
			"event": "Search",
			"search_id": search_id,
			"query": query[:500],
			"query_key": query_key(query),
			"language": lang or "",
			"channel": channel,
			"result_count": len(rows),
			"top_articles": json.dumps(articles[:10]),
		}
	)
	return search_id


def _insert_log(record: dict) -> None:
	from frappe.deferred_insert import deferred_insert

	user = frappe.session.user
	record.update(
		{
			"searched_on": now(),  # a string: the deferred queue stores JSON
			"user": None if user == "Guest" else user,
			"session_key": visitor_key().split(":", 1)[1][:12] if user == "Guest" else "",
		}
	)
	# Written in batches by the scheduler (frappe.deferred_insert.save_to_db), never in the request.
	deferred_insert("KM Search Log", [record])

"""Governed passages for assistants and chatbots (Frappe's AI apps, any LLM tool): the best passages of
live articles the caller may read, each with what a citation needs, and how sure each one is.

The same search as every other door (site_search: the reader's audiences and roles inside the engine,
search by meaning across Chinese and English, usage signals), so an AI answer can cite only
validated knowledge the person asking may read. No draft, earlier version or other audience's article
ever comes back; a passage of an attached file says which file and page.
"""

import frappe
from frappe import _
from frappe.utils import get_url

from km_crm import constants as C
from km_crm.permissions import readers
from km_crm.search import confidence, engines, priors, semantic, service, site_search
from km_crm.search.analysis import detect_language
from km_crm.search.backend import Filters, SearchBackendError
from km_crm.search.hybrid import comparable_cosine

MAX_PASSAGES = 20


def passages(question: str, *, limit: int = 5, lang: str | None = None, user: str | None = None) -> dict:
	"""{"question", "language", "confidence", "answerable", "passages": [...], "message"?} for `user`
	(default: the session user). Each passage: article, version, title, section, heading, text,
	language, audience, citation_url, file (or None), confidence, score."""
	user = user or frappe.session.user
	question_lang = detect_language(question or "")
	answer = {"question": question, "language": question_lang, "confidence": 0.0, "answerable": False}
	try:
		results = service.search_articles(
			engines.backend(),
			question,
			Filters.of(audiences=readers.audiences_for(user), lang=lang, roles=frappe.get_roles(user)),
			synonyms=engines.synonyms(),
			priors=priors.for_query(question)
			if frappe.get_cached_doc("KM Search Settings").use_usage_signals
			else None,
			limit=max(1, min(int(limit or 5), MAX_PASSAGES)),
			measure_coverage=True,
			semantic=semantic.enabled(),
			question_means=semantic.question_means(),
		)
	except SearchBackendError as exc:
		frappe.logger("km_crm").warning(f"search engine unavailable for an assistant: {exc}")
		return {
			**answer,
			"passages": [],
			"message": _("Search is not available right now. Try again shortly."),
		}
	versions = _live_versions([r.article_id for r in results])
	files = site_search.file_links(results)
	rows = []
	for r in results:
		version = versions.get(r.article_id)
		if not version:  # retired since it was indexed
			continue
		sure = confidence.figure(
			comparable_cosine(r.semantic, r.lang, question_lang), r.coverage, question_lang
		)
		rows.append(
			{
				"article": r.article_id,
				"version": version,
				"title": r.title,
				"section": r.section,
				"heading": r.heading,
				"text": r.text,
				"language": r.lang,
				"audience": r.audience,
				"citation_url": citation_url(r.article_id, version, r.audience, files.get(r.article_id)),
				"file": _file(files.get(r.article_id)),
				"confidence": sure,
				"score": round(r.score, 4),
			}
		)
	best = rows[0]["confidence"] if rows else 0.0
	return {**answer, "confidence": best, "answerable": best >= 0.5, "passages": rows}


def _live_versions(articles: list[str]) -> dict[str, str]:
	if not articles:
		return {}
	return dict(
		frappe.get_all(
			"KM Article",
			filters={"name": ("in", articles), "published_version": ("is", "set")},
			fields=["name", "published_version"],
			as_list=True,
		)
	)


def citation_url(article: str, version: str, audience: str, file: dict | None = None) -> str:
	"""Where a reader opens what is cited: the file at its page for a passage of an attached file,
	else the portal page of an article for customers, partners or the public, or the desk's page of
	its live version for an internal one."""
	if file and file.get("url"):
		return get_url(file["url"])
	if audience == C.INTERNAL:
		return get_url(f"/app/km-article-version/{version}")
	return get_url(f"/knowledge/{article}")


def _file(link: dict | None) -> dict | None:
	if not link:
		return None
	return {k: link[k] for k in ("name", "page", "sheet", "rows", "label")}

"""Knowledge search for the desk, the portal and tickets. Guests see Public articles only."""

import json

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cstr, now

from km_crm.search import access, priors, service, site

CHANNELS = ("Desk", "Portal", "Ticket", "API")
MAX_QUERY_CHARS = 10_000


def _settings():
	return frappe.get_cached_doc("KM Search Settings")


def _per_minute() -> int:
	if frappe.session.user != "Guest":
		return 100_000
	return _settings().guest_searches_per_minute or 60


def reader_audiences(user: str | None = None) -> tuple[str, ...]:
	user = user or frappe.session.user
	user_type = frappe.get_cached_value("User", user, "user_type") if user != "Guest" else None
	partner_role = _settings().partner_role
	return access.audiences_for(user, user_type, frappe.get_roles(user), partner_role)


@frappe.whitelist(allow_guest=True)
@rate_limit(limit=_per_minute, seconds=60)
def search(query: str = "", channel: str = "Desk", limit: int = 10, lang: str | None = None) -> dict:
	query = (query or "")[:MAX_QUERY_CHARS]
	channel = channel if channel in CHANNELS else "API"
	limit = max(1, min(int(limit or 10), 50))
	audiences = reader_audiences()
	engine = site.backend()
	results = service.search_articles(
		engine,
		query,
		audiences=audiences,
		lang=lang or None,
		synonyms=site.synonyms(),
		priors=priors.for_query(query) if _learning_enabled() else None,
		limit=limit,
	)
	rows = [
		{
			"article": r.article_id,
			"title": r.title,
			"title_html": r.title_html,
			"heading": r.heading,
			"snippet_html": r.snippet_html,
			"score": round(r.score, 4),
			"language": r.lang,
			"audience": r.audience,
		}
		for r in results
	]
	search_id = _log_search(query, channel, lang, rows)
	return {"results": rows, "search_id": search_id}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=_per_minute, seconds=60)
def log_click(
	search_id: str, article: str, position: int = 0, query: str = "", channel: str = "Desk"
) -> None:
	"""Records which result a reader opened; clicks teach ranking and close knowledge gaps."""
	if not _logging_enabled():
		return
	if not frappe.db.exists("KM Article", article):
		frappe.throw(_("Article {0} was not found.").format(article), frappe.DoesNotExistError)
	_insert_log(
		{
			"event": "Click",
			"search_id": (search_id or "")[:40],
			"query": (query or "")[:500],
			"query_key": access.query_key(query),
			"channel": channel if channel in CHANNELS else "API",
			"article": article,
			"position": int(position or 0),
		}
	)


def _log_search(query: str, channel: str, lang: str | None, rows: list[dict]) -> str | None:
	if not _logging_enabled() or not query.strip():
		return None
	search_id = frappe.generate_hash(length=16)
	_insert_log(
		{
			"event": "Search",
			"search_id": search_id,
			"query": query[:500],
			"query_key": access.query_key(query),
			"language": lang or "",
			"channel": channel,
			"result_count": len(rows),
			"top_articles": json.dumps([r["article"] for r in rows[:10]]),
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
			"session_key": _visitor_key() if user == "Guest" else "",
		}
	)
	# Written in batches by the scheduler (frappe.deferred_insert.save_to_db), never in the request.
	deferred_insert("KM Search Log", [record])


def _visitor_key() -> str:
	import hashlib

	return hashlib.sha256(cstr(frappe.local.request_ip).encode()).hexdigest()[:12]


def _logging_enabled() -> bool:
	return bool(_settings().log_searches)


def _learning_enabled() -> bool:
	return bool(_settings().use_usage_signals)

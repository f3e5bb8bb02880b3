"""Knowledge search for the desk, the portal and tickets. Guests see Public articles only."""

import json

import frappe
from frappe import _
from frappe.utils import now

from km_crm import permissions
from km_crm.api.limits import check_search_rate, visitor_key
from km_crm.search import priors, service, site
from km_crm.search.analysis import query_key

CHANNELS = ("Desk", "Portal", "Ticket", "API")
MAX_QUERY_CHARS = 10_000
SEARCH_MEMORY_SECONDS = 3600  # a click is accepted for an hour after the search that showed the article


def _settings():
	return frappe.get_cached_doc("KM Search Settings")


@frappe.whitelist(allow_guest=True)
def search(query: str = "", channel: str = "Desk", limit: int = 10, lang: str | None = None) -> dict:
	check_search_rate()
	query = (query or "")[:MAX_QUERY_CHARS]
	channel = channel if channel in CHANNELS else "API"
	limit = max(1, min(int(limit or 10), 50))
	rows = search_rows(query, limit=limit, lang=lang or None)
	search_id = log_search(query, channel, lang, rows)
	return {"results": rows, "search_id": search_id}


def search_rows(
	query: str, *, limit: int = 10, lang: str | None = None, user: str | None = None
) -> list[dict]:
	"""Results for `user` (default: the session user), as the endpoints return them."""
	user = user or frappe.session.user
	results = service.search_articles(
		site.backend(),
		query,
		audiences=permissions.audiences_for(user),
		lang=lang,
		synonyms=site.synonyms(),
		priors=priors.for_query(query) if _settings().use_usage_signals else None,
		limit=limit,
	)
	routes = permissions.live_routes([r.article_id for r in results], user) if _is_desk_user(user) else {}
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
		}
		for r in results
	]


@frappe.whitelist(allow_guest=True, methods=["POST"])
def log_click(
	search_id: str, article: str, position: int = 0, query: str = "", channel: str = "Desk"
) -> None:
	"""Records which result a reader opened; clicks teach ranking and close knowledge gaps.

	A click counts only for an article that the same visitor's search `search_id` returned."""
	check_search_rate()
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


def _is_desk_user(user: str) -> bool:
	return user != "Guest" and frappe.get_cached_value("User", user, "user_type") == "System User"

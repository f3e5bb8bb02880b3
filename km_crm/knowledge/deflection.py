"""Self-service deflection: suggestions on the ticket forms customers fill in (ERPNext's portal issue
form, Helpdesk's customer new-ticket page), and what the customer did with them.

A session starts when the form first shows suggestions. It belongs to its visitor (the user, or a
guest's anonymous key): events from anyone else are refused. Events: suggestions shown (when the
list changes), an article opened from the form (recorded by the article page), "this solved my
problem", a ticket submitted (recorded by the ticket's insert). deflection_rules.py decides the
outcome; an hourly job settles sessions whose window has passed."""

import json

import frappe
from frappe import _
from frappe.utils import add_to_date, get_datetime, now_datetime

from km_crm import constants as C
from km_crm.exceptions import KMError
from km_crm.knowledge import deflection_rules
from km_crm.visitors import visitor_key

SESSION = "KM Deflection Session"
EVENT = "KM Deflection Event"
QUERY_CHARS = 500


def _settings():
	return frappe.get_cached_doc("KM Settings")


def enabled() -> bool:
	return bool(_settings().suggest_on_ticket_forms)


def window_minutes() -> int:
	return int(deflection_rules.window(_settings().deflection_window_minutes).total_seconds() // 60)


def session_for(key: str | None, channel: str, query: str) -> str:
	"""The visitor's session `key` while it is still open, else a new one."""
	if channel not in C.DEFLECTION_CHANNELS:
		frappe.throw(_("Unknown ticket form: {0}").format(channel), KMError)
	if key:
		row = _own_session(key)
		if row and not row.is_final and row.outcome != C.OUTCOME_SUBMITTED:
			frappe.db.set_value(SESSION, key, "query", query[:QUERY_CHARS], update_modified=False)
			return key
	now = now_datetime()
	user = frappe.session.user
	doc = frappe.get_doc(
		{
			"doctype": SESSION,
			"channel": channel,
			"outcome": C.OUTCOME_OPEN,
			"query": query[:QUERY_CHARS],
			"user": None if user == C.GUEST else user,
			"visitor": visitor_key(),
			"language": frappe.local.lang,
			"started_on": now,
			"last_event_on": now,
			"shown_articles": "[]",
		}
	)
	doc.flags.km_append = True
	doc.insert(ignore_permissions=True)
	return doc.name


def shown(key: str, articles: list[str]) -> None:
	"""Suggestions shown on the form: one event each time the list changes."""
	row = _own_session(key)
	previous = json.loads(row.shown_articles or "[]") if row else []
	if not row or not articles or not deflection_rules.shown_changed(previous, articles):
		return
	articles = articles[: deflection_rules.MAX_SHOWN]
	frappe.db.set_value(SESSION, key, "shown_articles", json.dumps(articles), update_modified=False)
	_record(row, C.EVENT_SHOWN, articles=json.dumps(articles))


def opened(key: str, article: str) -> bool:
	"""The customer opened `article` from the form's suggestions (the article page calls this after
	checking they may read it). False when the session is not theirs or never showed the article."""
	row = _own_session(key)
	if not row or article not in _articles_shown(key):
		return False
	if not frappe.db.exists(EVENT, {"session": key, "event": C.EVENT_OPENED, "article": article}):
		_record(row, C.EVENT_OPENED, article=article)
		frappe.db.set_value(
			SESSION, key, "articles_opened", (row.articles_opened or 0) + 1, update_modified=False
		)
	return True


def solved(key: str, article: str) -> None:
	"""The customer says `article` solved their problem: a confirmed deflection."""
	row = _own_session(key)
	if not row or article not in _articles_shown(key):
		frappe.throw(_("This article was not suggested on your ticket form."), frappe.PermissionError)
	if row.outcome == C.OUTCOME_SUBMITTED:
		frappe.throw(_("You have already submitted a ticket for this question."), KMError)
	if not row.solved_article:
		_record(row, C.EVENT_SOLVED, article=article)
		owner = frappe.db.get_value("KM Article", article, "article_owner")
		frappe.db.set_value(
			SESSION, key, {"solved_article": article, "article_owner": owner}, update_modified=False
		)


def ticket_submitted(doc) -> None:
	"""A new Issue / HD Ticket: the visitor's latest session still in its window gets the
	ticket ("submitted anyway"). Never fails the ticket's save."""
	try:
		since = add_to_date(now_datetime(), minutes=-window_minutes())
		key = frappe.db.get_value(
			SESSION,
			{"visitor": visitor_key(), "last_event_on": (">", since), "is_final": 0},
			"name",
			order_by="last_event_on desc",
		)
		row = _own_session(key) if key else None
		if not row:
			return
		frappe.db.set_value(
			SESSION, key, {"ticket_doctype": doc.doctype, "ticket": doc.name}, update_modified=False
		)
		_record(row, C.EVENT_SUBMITTED, ticket_doctype=doc.doctype, ticket=doc.name)
	except Exception:
		frappe.log_error(title="km_crm: deflection event for a new ticket")


def settle_sessions() -> int:
	"""Hourly: settle the outcome of sessions whose window has passed. Returns how many."""
	minutes = window_minutes()
	since = add_to_date(now_datetime(), minutes=-minutes)
	names = frappe.get_all(SESSION, filters={"is_final": 0, "last_event_on": ("<=", since)}, pluck="name")
	for name in names:
		_settle(name, minutes)
	return len(names)


def _settle(key: str, minutes: int) -> None:
	events = frappe.get_all(EVENT, filters={"session": key}, fields=["event", "occurred_on"])
	verdict = deflection_rules.outcome(
		[(e.event, get_datetime(e.occurred_on)) for e in events], now_datetime(), minutes
	)
	frappe.db.set_value(
		SESSION, key, {"outcome": verdict.outcome, "is_final": int(verdict.final)}, update_modified=False
	)
	if verdict == (C.OUTCOME_DEFLECTED, True):
		_recognise(key)


def _recognise(key: str) -> None:
	"""A confirmed deflection: Frappe's Energy Point Rules on the session apply (points for the owner
	of the article that solved the problem). The outcome is written with set_value, which runs no
	document events; a rule that fails never stops the settling."""
	from frappe.social.doctype.energy_point_rule.energy_point_rule import process_energy_points

	try:
		process_energy_points(frappe.get_doc(SESSION, key), "on_update")
	except Exception:
		frappe.log_error(title="km_crm: energy points for a confirmed deflection")


def sessions_and_events(since, until, channel: str | None = None) -> tuple[dict, dict, list]:
	"""The sessions started in [since, until), as deflection_rules counts them: ({session: outcome},
	{session: "YYYY-MM" started}, [(session, event, article, articles shown)])."""
	session, event = frappe.qb.DocType(SESSION), frappe.qb.DocType(EVENT)
	in_period = (session.started_on >= since) & (session.started_on < until)
	if channel:
		in_period &= session.channel == channel
	rows = (
		frappe.qb.from_(session)
		.select(session.name, session.outcome, session.started_on)
		.where(in_period)
		.run()
	)
	events = (
		frappe.qb.from_(event)
		.join(session)
		.on(session.name == event.session)
		.select(event.session, event.event, event.article, event.articles)
		.where(in_period)
		.run()
	)
	return (
		{name: outcome for name, outcome, _started in rows},
		{name: f"{started:%Y-%m}" for name, _outcome, started in rows},
		[(s, e, a, json.loads(shown or "[]")) for s, e, a, shown in events],
	)


def _own_session(key: str | None):
	if not key or not isinstance(key, str):
		return None
	row = frappe.db.get_value(
		SESSION,
		key,
		[
			"name",
			"channel",
			"visitor",
			"outcome",
			"is_final",
			"shown_articles",
			"articles_opened",
			"solved_article",
		],
		as_dict=True,
	)
	return row if row and row.visitor == visitor_key() else None


def _articles_shown(key: str) -> set[str]:
	shown_lists = frappe.get_all(EVENT, filters={"session": key, "event": C.EVENT_SHOWN}, pluck="articles")
	return {a for text in shown_lists for a in json.loads(text or "[]")}


def _record(row, event: str, **values) -> None:
	now = now_datetime()
	article = values.get("article")
	doc = frappe.get_doc(
		{
			"doctype": EVENT,
			"session": row.name,
			"event": event,
			"occurred_on": now,
			"channel": row.channel,
			"article_version": frappe.db.get_value("KM Article", article, "published_version")
			if article
			else None,
			**values,
		}
	)
	doc.flags.km_append = True
	doc.insert(ignore_permissions=True)
	frappe.db.set_value(SESSION, row.name, "last_event_on", now, update_modified=False)
	_settle(row.name, window_minutes())

"""Append-only audit trail of an article's governance history.

Each event stores the hash of the article's previous event, so a row changed behind the app's back
(directly in the database) breaks the chain and `verify_chain` reports where.
"""

import hashlib
import json

import frappe
from frappe.utils import now_datetime

DOCTYPE = "KM Audit Event"


def record(
	event_type: str,
	article: str | None = None,
	*,
	review: str | None = None,
	version: int | None = None,
	details: str = "",
	data: dict | None = None,
	actor: str | None = None,
) -> str:
	prev_hash = _last_hash(article)
	payload = {
		"occurred_on": str(now_datetime()),
		"event_type": event_type,
		"actor": actor or frappe.session.user,
		"article": article,
		"review": review,
		"version": int(version or 0),
		"details": details or "",
		"data": json.dumps(data or {}, sort_keys=True, ensure_ascii=False, default=str),
	}
	event = frappe.get_doc(
		{"doctype": DOCTYPE, **payload, "prev_hash": prev_hash, "event_hash": event_hash(prev_hash, payload)}
	)
	event.flags.km_append = True
	event.insert(ignore_permissions=True)
	return event.name


def event_hash(prev_hash: str, payload: dict) -> str:
	body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
	return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def _last_hash(article: str | None) -> str:
	rows = frappe.get_all(
		DOCTYPE,
		filters={"article": article} if article else {"article": ("is", "not set")},
		fields=["event_hash"],
		order_by="creation desc, name desc",
		limit=1,
	)
	return rows[0].event_hash if rows else ""


def history(article: str) -> list[dict]:
	return frappe.get_all(
		DOCTYPE,
		filters={"article": article},
		fields=["name", "occurred_on", "event_type", "actor", "review", "version", "details"],
		order_by="creation asc, name asc",
	)


def verify_chain(article: str) -> list[str]:
	"""Names of events whose stored hash no longer matches their content (empty when intact)."""
	broken, prev = [], ""
	fields = ["name", "occurred_on", "event_type", "actor", "article", "review", "version", "details", "data"]
	for row in frappe.get_all(
		DOCTYPE,
		filters={"article": article},
		fields=[*fields, "prev_hash", "event_hash"],
		order_by="creation asc, name asc",
	):
		payload = {f: row.get(f) for f in fields if f != "name"}
		payload["occurred_on"] = str(payload["occurred_on"])
		payload["details"] = payload["details"] or ""
		if row.prev_hash != prev or row.event_hash != event_hash(prev, payload):
			broken.append(row.name)
		prev = row.event_hash
	return broken

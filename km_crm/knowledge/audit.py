"""Append-only audit trail of an article's governance history.

Each event stores a keyed hash (HMAC-SHA256) of its content and of the article's previous event. The
key is a per-site secret kept outside the database (site_config.json, `km_audit_key`), so a row
changed behind the app's back breaks the chain and `verify_chain` reports where, even when whoever
changed it recomputed the hashes in the database.
"""

import hashlib
import hmac
import json
import secrets

import frappe
from frappe.utils import now_datetime

KEY_CONFIG = "km_audit_key"
SCHEME = "hmac-sha256:"

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


def site_key() -> bytes:
	"""The site's audit key from site_config.json, created on first use."""
	key = frappe.conf.get(KEY_CONFIG)
	if not key:
		from frappe.installer import update_site_config

		key = secrets.token_hex(32)
		update_site_config(KEY_CONFIG, key)
		frappe.conf[KEY_CONFIG] = key
	return key.encode()


def _body(prev_hash: str, payload: dict) -> bytes:
	return f"{prev_hash}|{json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)}".encode()


def event_hash(prev_hash: str, payload: dict) -> str:
	return SCHEME + hmac.new(site_key(), _body(prev_hash, payload), hashlib.sha256).hexdigest()


def unkeyed_hash(prev_hash: str, payload: dict) -> str:
	"""The hash of earlier releases (no key); only sign_legacy_chains reads it."""
	return hashlib.sha256(_body(prev_hash, payload)).hexdigest()


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


PAYLOAD_FIELDS = ("occurred_on", "event_type", "actor", "article", "review", "version", "details", "data")


def _chain(article: str | None) -> list[tuple[dict, dict]]:
	"""(row, payload as hashed) of an article's events, oldest first."""
	rows = frappe.get_all(
		DOCTYPE,
		filters={"article": article} if article else {"article": ("is", "not set")},
		fields=["name", *PAYLOAD_FIELDS, "prev_hash", "event_hash"],
		order_by="creation asc, name asc",
	)
	out = []
	for row in rows:
		payload = {f: row.get(f) for f in PAYLOAD_FIELDS}
		payload["occurred_on"] = str(payload["occurred_on"])
		payload["details"] = payload["details"] or ""
		out.append((row, payload))
	return out


def verify_chain(article: str) -> list[str]:
	"""Names of events whose stored hash no longer matches their content (empty when intact)."""
	broken, prev = [], ""
	for row, payload in _chain(article):
		expected = event_hash(prev, payload)
		if row.prev_hash != prev or not hmac.compare_digest(row.event_hash or "", expected):
			broken.append(row.name)
		prev = row.event_hash
	return broken


def sign_legacy_chains() -> dict:
	"""Re-sign chains written with the unkeyed hash of earlier releases, each only if it is intact
	(a chain already altered keeps its old hashes and stays reported)."""
	signed, left = 0, 0
	articles = frappe.get_all(
		DOCTYPE, filters={"event_hash": ("not like", f"{SCHEME}%")}, pluck="article", distinct=True
	)
	for article in articles:
		chain = _chain(article)
		prev, intact = "", True
		for row, payload in chain:
			if row.event_hash.startswith(SCHEME):
				break
			if row.prev_hash != prev or row.event_hash != unkeyed_hash(prev, payload):
				intact = False
				break
			prev = row.event_hash
		if not intact:
			left += 1
			continue
		prev = ""
		for row, payload in chain:
			new = event_hash(prev, payload)
			frappe.db.set_value(
				DOCTYPE, row.name, {"prev_hash": prev, "event_hash": new}, update_modified=False
			)
			prev = new
		signed += 1
	return {"signed": signed, "left_altered": left}

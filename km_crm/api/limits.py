"""Request limits for knowledge search: per signed-in user, and per address for guests, counted apart.

A guest's address is the request's client address as Frappe reads it (the first X-Forwarded-For
entry): the reverse proxy must set that header to the client's address (bench's nginx does), so a
client cannot choose its own.
"""

import frappe
from frappe import _

WINDOW_SECONDS = 60


def _search_settings():
	return frappe.get_cached_doc("KM Search Settings")


def visitor_key() -> str:
	"""Who is asking: the user, or for guests their address (hashed; never stored in clear)."""
	import hashlib

	user = frappe.session.user
	if user != "Guest":
		return f"user:{user}"
	address = frappe.local.request_ip or ""
	return "guest:" + hashlib.sha256(address.encode()).hexdigest()[:16]


def check_search_rate() -> None:
	"""Count one search against the caller's minute; refuse with HTTP 429 over the limit."""
	if frappe.flags.in_test and not frappe.flags.km_enforce_rate_limit:
		return
	settings = _search_settings()
	guest = frappe.session.user == "Guest"
	limit = (settings.guest_searches_per_minute if guest else settings.get("user_searches_per_minute")) or (
		60 if guest else 120
	)
	key = frappe.cache.make_key(f"km_crm:search_rate:{visitor_key()}")
	count = frappe.cache.incr(key)
	if count == 1:
		frappe.cache.expire(key, WINDOW_SECONDS)
	if count > limit:
		frappe.throw(
			_("Too many searches in a minute. Wait a moment and try again."),
			frappe.RateLimitExceededError,
			title=_("Slow down"),
		)

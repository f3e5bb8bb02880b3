"""Request limits for knowledge search: per signed-in user, and per address for guests, counted apart.

A guest's address is the request's peer, or, behind a reverse proxy listed in KM Search Settings >
Trusted Proxies, the address that proxy added to X-Forwarded-For (km_crm.visitors.client_address):
a client cannot choose its own.
"""

import frappe
from frappe import _

from km_crm import testing
from km_crm.visitors import rate_key

WINDOW_SECONDS = 60


def _search_settings():
	return frappe.get_cached_doc("KM Search Settings")


def check_search_rate() -> None:
	"""Count one search against the caller's minute; refuse with HTTP 429 over the limit."""
	settings = _search_settings()
	guest = frappe.session.user == "Guest"
	limit = (settings.guest_searches_per_minute if guest else settings.get("user_searches_per_minute")) or (
		60 if guest else 120
	)
	check_rate("search", limit)


def check_rate(kind: str, limit: int) -> None:
	"""Count one request of `kind` against the caller's minute; refuse with HTTP 429 over `limit`."""
	if testing.RUN and not testing.RUN.count_rates:
		return
	key = frappe.cache.make_key(f"km_crm:{kind}_rate:{rate_key()}")
	count = frappe.cache.incr(key)
	if count == 1:
		frappe.cache.expire(key, WINDOW_SECONDS)
	if count > limit:
		frappe.throw(
			_("Too many requests in a minute. Wait a moment and try again."),
			frappe.RateLimitExceededError,
			title=_("Slow down"),
		)

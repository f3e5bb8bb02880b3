"""Who is asking. A signed-in user is their user. A guest is known by an anonymous key the portal
keeps in a cookie (one browser, one key: one vote per article, one deflection session), or, when
there is none, by a hash of their address; limits always count guests per address, which a client
cannot shed by dropping a cookie, nor by writing its own X-Forwarded-For header."""

import hashlib
import re

import frappe

from km_crm.client_address import client_address as client_address_of
from km_crm.client_address import parse_networks

COOKIE = "km_visitor"
_KEY_RE = re.compile(r"^[0-9a-f]{16,32}$")


def client_address() -> str:
	"""The guest's address: the request's peer, or what a trusted proxy says the client was (KM Search
	Settings > Trusted Proxies); outside a request, the address Frappe recorded."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return getattr(frappe.local, "request_ip", None) or ""
	trusted, _invalid = parse_networks(frappe.get_cached_doc("KM Search Settings").get("trusted_proxies"))
	return client_address_of(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted)


def _address_key() -> str:
	return "guest:" + hashlib.sha256(client_address().encode()).hexdigest()[:16]


def rate_key() -> str:
	"""What request limits count: the user, or the guest's address."""
	user = frappe.session.user
	return f"user:{user}" if user != "Guest" else _address_key()


def visitor_key() -> str:
	"""Who the visitor is: the user, or the guest's anonymous portal key (else their address)."""
	user = frappe.session.user
	if user != "Guest":
		return f"user:{user}"
	key = _cookie_key()
	return f"visitor:{key}" if key else _address_key()


def _cookie_key() -> str:
	"""The guest's anonymous key: from their cookie, or the one this response is giving them."""
	request = getattr(frappe.local, "request", None)
	key = (request.cookies.get(COOKIE, "") if request else "") or (
		getattr(frappe.local, "km_visitor_key", None) or ""
	)
	return key if _KEY_RE.match(key) else ""


def ensure_visitor_cookie() -> None:
	"""Give a guest on the portal their anonymous key (no personal data in it)."""
	cookies = getattr(frappe.local, "cookie_manager", None)
	if frappe.session.user != "Guest" or not cookies or _cookie_key():
		return
	frappe.local.km_visitor_key = frappe.generate_hash(length=24)
	cookies.set_cookie(COOKIE, frappe.local.km_visitor_key, max_age=365 * 24 * 3600, httponly=True)

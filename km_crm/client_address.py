"""Which address a request came from, for per-address limits (pure: no frappe).

A client can write any X-Forwarded-For header it likes. Only a proxy the site trusts (KM Search
Settings > Trusted Proxies) adds a true entry, at the right end: so the header is read only when the
request came from a trusted proxy, from the right, past the trusted proxies, and the first address
that is not one of them is the client's. A site reached directly is never fooled by the header.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str | None) -> tuple[list[Network], list[str]]:
	"""(networks, entries that are not addresses) from addresses or CIDR ranges, one per line or
	separated by commas or spaces."""
	networks, invalid = [], []
	for entry in (text or "").replace(",", " ").split():
		try:
			networks.append(ipaddress.ip_network(entry, strict=False))
		except ValueError:
			invalid.append(entry)
	return networks, invalid


def _address(value: str | None):
	try:
		return ipaddress.ip_address((value or "").strip())
	except ValueError:
		return None


def _trusted(address, networks: Iterable[Network]) -> bool:
	return address is not None and any(address.version == n.version and address in n for n in networks)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Iterable[Network]) -> str:
	"""The client's address: the peer itself unless the peer is a trusted proxy; then the
	right-most X-Forwarded-For entry that is not a trusted proxy (an entry that is not an address
	ends the walk: only the client could have written it)."""
	trusted = list(trusted)
	current = _address(peer)
	if current is None:
		return (peer or "").strip()
	if not _trusted(current, trusted):
		return str(current)
	for hop in reversed((forwarded_for or "").split(",")):
		address = _address(hop)
		if address is None:
			break
		current = address
		if not _trusted(address, trusted):
			break
	return str(current)

"""Per-address limits count the client's real address: X-Forwarded-For is believed only from trusted
proxies (km_crm/client_address.py)."""

from km_crm.client_address import client_address, parse_networks

PROXIES, _ = parse_networks("127.0.0.1\n10.0.0.0/8, ::1")


def test_a_client_reaching_the_site_directly_cannot_choose_its_address():
	for header in ("1.2.3.4", "5.6.7.8, 9.9.9.9", "", None, "garbage"):
		assert client_address("203.0.113.5", header, PROXIES) == "203.0.113.5"


def test_without_trusted_proxies_the_header_is_ignored():
	assert client_address("127.0.0.1", "1.2.3.4", []) == "127.0.0.1"


def test_behind_a_trusted_proxy_the_address_it_added_counts():
	# nginx appends the address it saw: whatever the client wrote stays on the left
	assert client_address("127.0.0.1", "203.0.113.5", PROXIES) == "203.0.113.5"
	assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.5", PROXIES) == "203.0.113.5"


def test_chains_of_trusted_proxies_are_walked_from_the_right():
	assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.2.3", PROXIES) == "203.0.113.5"


def test_an_entry_that_is_no_address_ends_the_walk():
	assert client_address("127.0.0.1", "203.0.113.5, junk", PROXIES) == "127.0.0.1"
	assert client_address("127.0.0.1", "junk, 10.0.0.9", PROXIES) == "10.0.0.9"


def test_ipv6_and_mixed_versions():
	assert client_address("::1", "2001:db8::7", PROXIES) == "2001:db8::7"
	assert client_address("2001:db8::7", "1.2.3.4", PROXIES) == "2001:db8::7"


def test_settings_text_lists_what_is_not_an_address():
	networks, invalid = parse_networks("127.0.0.1 nginx.local\n192.168.0.0/16")
	assert [str(n) for n in networks] == ["127.0.0.1/32", "192.168.0.0/16"]
	assert invalid == ["nginx.local"]

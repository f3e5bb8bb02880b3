"""Who reads which knowledge (km_crm/permissions/rules.py): the rules REST, search, tickets and the portal share."""

import pytest

from km_crm.permissions.rules import (
	Reader,
	audiences,
	can_read_article,
	can_read_version,
	may_receive,
	unregistered_contact_audiences,
)

READERS = frozenset({"Support Team", "Sales User"})
ALL = ("Internal", "Customer", "Partner", "Public")


def reader(user="someone@example.com", *roles, partner_role="Channel Partner"):
	return Reader.of(user, roles, reader_roles=READERS, partner_role=partner_role)


@pytest.mark.parametrize(
	"who, expected",
	[
		(Reader.of("Guest"), ("Public",)),
		(Reader.of(None), ("Public",)),
		(reader("a@x.com"), ("Public",)),  # a desk user without a knowledge reader role
		(reader("a@x.com", "Accounts User"), ("Public",)),
		(reader("a@x.com", "Customer"), ("Customer", "Public")),
		(reader("a@x.com", "Channel Partner"), ("Partner", "Public")),
		(reader("a@x.com", "Customer", "Channel Partner"), ("Customer", "Partner", "Public")),
		(reader("a@x.com", "Support Team"), ALL),
		(reader("a@x.com", "Sales User"), ALL),
		(reader("a@x.com", "KM Candidate"), ALL),
		(reader("a@x.com", "System Manager"), ALL),
		(reader("Administrator"), ALL),
	],
)
def test_audiences(who, expected):
	assert audiences(who) == expected


def test_the_partner_role_is_a_setting():
	assert audiences(reader("a@x.com", "Channel Partner", partner_role=None)) == ("Public",)
	assert audiences(reader("a@x.com", "Reseller", partner_role="Reseller")) == ("Partner", "Public")


def test_reader_roles_are_a_setting():
	support = Reader.of("a@x.com", ["Support Team"], reader_roles=())
	assert audiences(support) == ("Public",)


def test_readers_never_open_the_working_copy():
	# the record may hold the next version's draft and its history earlier text: readers get the live
	# version, whatever state the working copy is in
	for who in (reader("a@x.com", "Support Team"), reader("c@x.com", "Customer"), Reader.of("Guest")):
		assert not can_read_article(who, owner="b@x.com")


def test_the_working_copy_is_for_its_author_and_editors():
	assert can_read_article(reader("b@x.com"), owner="b@x.com")
	assert can_read_article(reader("e@x.com", "KM Committee Member"), owner="b@x.com")
	assert can_read_article(reader("Administrator"), owner="b@x.com")


def test_a_guest_is_never_an_author():
	assert not can_read_article(Reader.of("Guest"), owner="Guest")


def test_readers_see_only_the_live_version():
	support = reader("a@x.com", "Support Team")
	assert can_read_version(support, is_live=True, audience="Internal", article_owner="b@x.com")
	assert not can_read_version(support, is_live=False, audience="Internal", article_owner="b@x.com")
	customer = reader("c@x.com", "Customer")
	assert not can_read_version(customer, is_live=True, audience="Internal", article_owner="b@x.com")
	assert can_read_version(reader("b@x.com"), is_live=False, audience="Internal", article_owner="b@x.com")
	assert can_read_version(
		reader("k@x.com", "KM Coach"), is_live=False, audience="Internal", article_owner="b@x.com"
	)


def test_what_a_tickets_contact_may_receive():
	assert unregistered_contact_audiences(is_customer=True) == ("Customer", "Public")
	assert unregistered_contact_audiences(is_customer=False) == ("Public",)
	assert may_receive("Customer", ("Customer", "Public"))
	assert not may_receive("Internal", ("Customer", "Public"))
	assert not may_receive("Partner", ("Customer", "Public"))
	assert not may_receive(None, ALL)

"""Who may read which knowledge (pure: no frappe). km_crm/permissions/readers.py feeds it from the site.

- Editors (the KM roles, System Manager, Administrator) read every article in every state, drafts
  and earlier versions included. The author of an article reads it in every state too.
- Everyone else reads live content only, of the audiences they may see:
  desk users with a knowledge reader role (a setting): every audience;
  a customer's portal user: Public and Customer; the partner role adds Partner;
  anyone else, guests included: Public.
- The article record itself is the working copy: only editors and the author open it (it may hold the
  draft of the next version, and its history the text of earlier ones). Everyone else reads the live
  KM Article Version, whatever state the working copy is in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from km_crm.constants import (
	ADMINISTRATOR,
	AUDIENCES,
	CUSTOMER,
	CUSTOMER_ROLE,
	EDITOR_ROLES,
	GUEST,
	PARTNER,
	PUBLIC,
)


@dataclass(frozen=True)
class Reader:
	"""What the rules need to know about a user."""

	user: str
	roles: frozenset[str] = frozenset()
	reader_roles: frozenset[str] = frozenset()  # setting: desk roles that read every audience
	partner_role: str | None = None  # setting: the role that reads Partner articles

	@classmethod
	def of(
		cls,
		user: str | None,
		roles: Iterable[str] = (),
		reader_roles: Iterable[str] = (),
		partner_role: str | None = None,
	) -> Reader:
		return cls(user or GUEST, frozenset(roles or ()), frozenset(reader_roles or ()), partner_role or None)

	@property
	def is_guest(self) -> bool:
		return self.user == GUEST

	@property
	def is_editor(self) -> bool:
		return self.user == ADMINISTRATOR or bool(self.roles & EDITOR_ROLES)


def audiences(reader: Reader) -> tuple[str, ...]:
	"""The audiences whose live articles this reader may see, in the order of AUDIENCES."""
	if reader.is_guest:
		return (PUBLIC,)
	if reader.is_editor or reader.roles & reader.reader_roles:
		return AUDIENCES
	allowed = {PUBLIC}
	if CUSTOMER_ROLE in reader.roles:
		allowed.add(CUSTOMER)
	if reader.partner_role and reader.partner_role in reader.roles:
		allowed.add(PARTNER)
	return tuple(a for a in AUDIENCES if a in allowed)


def reads_everything(reader: Reader) -> bool:
	"""True when no filter applies: every article in every state."""
	return reader.is_editor


def can_read_article(reader: Reader, *, owner: str | None) -> bool:
	"""May this reader open the article record (the working copy, its drafts and its history)?"""
	return reader.is_editor or bool(owner and owner == reader.user and not reader.is_guest)


def can_read_version(
	reader: Reader, *, is_live: bool, audience: str | None, article_owner: str | None
) -> bool:
	"""May this reader open a frozen version? Readers see only the live version of an article."""
	if reader.is_editor or (article_owner and article_owner == reader.user and not reader.is_guest):
		return True
	return bool(is_live) and audience in audiences(reader)


def may_receive(audience: str | None, contact_audiences: Iterable[str]) -> bool:
	"""May text of an article of `audience` be sent to a contact who reads `contact_audiences`?"""
	return bool(audience) and audience in set(contact_audiences)


def unregistered_contact_audiences(is_customer: bool) -> tuple[str, ...]:
	"""A ticket's contact who has no user reads what a portal user would: a customer's contact
	Public and Customer articles, anyone else Public ones."""
	return audiences(Reader(user="", roles=frozenset({CUSTOMER_ROLE}) if is_customer else frozenset()))

"""Which ticket links count as reuse by others (pure: no Frappe): the reuse that earns an article's
owner recognition (energy points) and counts in their citation."""

from __future__ import annotations

from km_crm import constants as C

REUSE_TYPES = (C.LINK_SOLVED, C.LINK_REFERENCED)


def by_another_agent(link_type: str, linked_by: str | None, article_owner: str | None) -> bool:
	"""A reuse that counts for the article's owner: the article solved or was referenced on a ticket,
	linked by someone other than its owner. Linking one's own article earns nothing."""
	return link_type in REUSE_TYPES and bool(linked_by) and linked_by != article_owner

"""KCS article shape: sections, summaries, tags and dates.

Pure Python, no ``import frappe``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from km_crm.dates import as_date
from km_crm.knowledge.sanitize import html_to_text
from km_crm.rule_error import RuleError

SECTIONS = (
	("issue", "Issue"),
	("environment", "Environment"),
	("resolution", "Resolution"),
	("cause", "Cause"),
)
REQUIRED_SECTIONS = ("issue", "resolution")

MAX_TAG_LENGTH = 64

MSG_EXPIRES_BEFORE_REVIEW = "Expires On ({expires_on}) cannot be before Review By ({review_by})"
MSG_BAD_DATE = "Not a valid date: {value}"

_TAG_SPLIT_RE = re.compile(r"[,，、;；\n\r\t]+")
_SPACES_RE = re.compile(r"\s+")
# A sentence ends at . ! ? followed by a space (or the end), or right after a CJK full stop.
_SENTENCE_RE = re.compile(r".+?(?:[。！？；]+[”’」』）)]*|[.!?]+[\"')\]]*(?=\s|$)|$)", re.DOTALL)


class KcsError(RuleError):
	code = "kcs_error"


def _get(article: Any, field: str) -> Any:
	if isinstance(article, Mapping):
		return article.get(field)
	return getattr(article, field, None)


def section_text(article: Any, field: str) -> str:
	"""Plain text of one section (HTML stripped)."""
	return html_to_text(_get(article, field) or "")


def missing_sections(article: Any, required: Iterable[str] = REQUIRED_SECTIONS) -> list[str]:
	"""Required sections whose text is empty (an empty ``<p><br></p>`` from the editor counts as empty)."""
	return [field for field in required if not section_text(article, field)]


def split_sentences(text: str) -> list[str]:
	"""Sentences of English and Chinese text (Chinese full stops need no following space)."""
	text = _SPACES_RE.sub(" ", text or "").strip()
	return [s.strip() for s in _SENTENCE_RE.findall(text) if s.strip()]


def normalize_tags(tags: str | Iterable[str] | None) -> list[str]:
	"""Split on commas (also Chinese ， and 、), semicolons and line breaks; trim; collapse inner
	spaces; cut to 64 characters; drop empties and case-insensitive duplicates (first spelling wins)."""
	if not tags:
		return []
	pieces = [tags] if isinstance(tags, str) else [str(t) for t in tags if t is not None]
	result: list[str] = []
	seen: set[str] = set()
	for piece in pieces:
		for raw in _TAG_SPLIT_RE.split(piece):
			tag = _SPACES_RE.sub(" ", raw).strip()[:MAX_TAG_LENGTH].strip()
			key = tag.casefold()
			if tag and key not in seen:
				seen.add(key)
				result.append(tag)
	return result


def _as_date(value: date | datetime | str | None) -> date | None:
	try:
		return as_date(value)
	except ValueError:
		raise KcsError(MSG_BAD_DATE, "bad_date", value=value) from None


def validate_dates(review_by: date | str | None, expires_on: date | str | None) -> None:
	"""Raise :class:`KcsError` if Expires On is before Review By. Either may be empty. Past dates
	are allowed (an article imported with an old review date simply shows up as due for review)."""
	review, expiry = _as_date(review_by), _as_date(expires_on)
	if review and expiry and expiry < review:
		raise KcsError(
			MSG_EXPIRES_BEFORE_REVIEW,
			"expires_before_review",
			expires_on=expiry.isoformat(),
			review_by=review.isoformat(),
		)

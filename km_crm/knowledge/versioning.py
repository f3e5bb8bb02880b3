"""Frozen article versions: snapshots, hashes, comparison and restore.

Pure Python, no ``import frappe``. Publishing stores :func:`snapshot_json` and :func:`content_hash`
in a KM Article Version; the comparison view renders :func:`render_comparison_html`.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from km_crm.knowledge.article_shape import normalize_tags
from km_crm.knowledge.sanitize import html_to_text
from km_crm.rule_error import RuleError

VERSIONED_FIELDS = (
	"title",
	"summary",
	"issue",
	"environment",
	"resolution",
	"cause",
	"language",
	"audience",
	"category",
	"tags",
	"items",
	"translation_of",
	"review_by",
	"expires_on",
)
CONTENT_FIELDS = ("title", "summary", "issue", "environment", "resolution", "cause")
HTML_FIELDS = ("issue", "environment", "resolution", "cause")
DATE_FIELDS = ("review_by", "expires_on")
LINK_FIELDS = ("category", "translation_of")

FIELD_LABELS = {
	"title": "Title",
	"summary": "Summary",
	"issue": "Issue",
	"environment": "Environment",
	"resolution": "Resolution",
	"cause": "Cause",
	"language": "Language",
	"audience": "Audience",
	"category": "Category",
	"tags": "Tags",
	"items": "Items",
	"translation_of": "Translation Of",
	"review_by": "Review By",
	"expires_on": "Expires On",
}

#: Child-table bookkeeping keys left out of snapshots.
CHILD_META_KEYS = frozenset(
	{
		"name",
		"idx",
		"parent",
		"parentfield",
		"parenttype",
		"doctype",
		"owner",
		"creation",
		"modified",
		"modified_by",
		"docstatus",
		"__islocal",
		"__unsaved",
	}
)
ITEM_KEY = "item"  # KM Article Item.item (Link to Item)

MSG_COMPARE_FIELD = "Field"
DIFF_DEL_CLASS = "km-diff-del"
DIFF_INS_CLASS = "km-diff-ins"


class VersioningError(RuleError):
	code = "versioning_error"


MSG_BAD_SNAPSHOT = "The stored version could not be read"


# --- Snapshots -----------------------------------------------------------------------------------
def _get(article: Any, field: str) -> Any:
	if isinstance(article, Mapping):
		return article.get(field)
	return getattr(article, field, None)


def _item_value(row: Any) -> str:
	if isinstance(row, Mapping):
		if row.get(ITEM_KEY) not in (None, ""):
			return str(row[ITEM_KEY]).strip()
		values = [str(v).strip() for k, v in sorted(row.items()) if k not in CHILD_META_KEYS and v]
		return values[0] if values else ""
	return str(row).strip() if row is not None else ""


def _normalize(field: str, value: Any) -> Any:
	if field == "tags":
		return sorted(normalize_tags(value or ""), key=str.casefold)
	if field == "items":
		if isinstance(value, str):
			value = [v for v in re.split(r"[,\n]", value)]
		values = {_item_value(row) for row in (value or [])}
		return sorted(v for v in values if v)
	if value is None:
		return ""
	if isinstance(value, datetime):
		return value.isoformat()
	if isinstance(value, date):
		return value.isoformat()
	if isinstance(value, (list, tuple, set, frozenset)):
		return sorted(str(v) for v in value)
	if isinstance(value, str):
		return value.strip()
	return value


def snapshot(article: Any) -> dict:
	"""The versioned fields of ``article`` (a dict or a document), normalised for storage:
	None -> "", strings trimmed, dates as ISO strings, tags/items as sorted lists of strings."""
	return {field: _normalize(field, _get(article, field)) for field in VERSIONED_FIELDS}


def _dumps(data: Mapping) -> str:
	return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def snapshot_json(article: Any) -> str:
	"""Stable JSON of :func:`snapshot` (sorted keys, UTF-8 kept)."""
	return _dumps(snapshot(article))


def load_snapshot(value: str | Mapping | None) -> dict:
	"""Read a stored snapshot (JSON text or dict) back into a normalised snapshot."""
	if isinstance(value, Mapping):
		return snapshot(value)
	try:
		data = json.loads(value or "{}")
	except (TypeError, ValueError):
		raise VersioningError(MSG_BAD_SNAPSHOT, "bad_snapshot") from None
	if not isinstance(data, dict):
		raise VersioningError(MSG_BAD_SNAPSHOT, "bad_snapshot")
	return snapshot(data)


def content_hash(snap: Mapping, files: Iterable[Mapping] = ()) -> str:
	"""sha256 hex of the snapshot's stable JSON; equal snapshots give equal hashes. `files`: the
	attached files the version holds ({"file_name", "content_hash"}): other files, another hash (a
	version without files hashes as it always did)."""
	data = _dumps(snapshot(snap))
	content = sorted(str(f.get("content_hash") or "") for f in files)
	if content:
		data += "\nfiles:" + ",".join(content)
	return hashlib.sha256(data.encode("utf-8")).hexdigest()


def changed_fields(old: Mapping, new: Mapping) -> list[str]:
	"""Versioned fields whose normalised values differ, in :data:`VERSIONED_FIELDS` order."""
	old_snap, new_snap = snapshot(old), snapshot(new)
	return [f for f in VERSIONED_FIELDS if old_snap[f] != new_snap[f]]


def content_changed(old: Mapping, new: Mapping) -> bool:
	"""True if a content field (title, summary, issue, ...) really changed.

	Values are compared exactly (after sanitising, the stored HTML) except for surrounding
	whitespace, so re-saving without an edit is not a change.
	"""
	return any(f in CONTENT_FIELDS for f in changed_fields(old, new))


# --- Comparison ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldDiff:
	field: str
	label: str
	old: str  # plain text of the older value
	new: str  # plain text of the newer value
	changed: bool
	html: str  # escaped word-level diff with <del>/<ins> markup
	versions: tuple[str, str] = ("v1", "v2")  # labels of the two compared versions


_CJK = (
	"\u3040-\u30ff"  # kana
	"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
	"\uac00-\ud7af"  # hangul
	"\u3000-\u303f\uff00-\uffef"  # CJK punctuation, full-width forms
)
_TOKEN_RE = re.compile(rf"[{_CJK}]|[^\s{_CJK}\w]|[^\W{_CJK}]+|\s+")


def tokenize_for_diff(text: str) -> list[str]:
	"""Words for English (and other spaced scripts), single characters for Chinese/Japanese,
	punctuation and whitespace runs as their own tokens. Joining the tokens gives the text back."""
	return _TOKEN_RE.findall(text)


def display_text(field: str, value: Any) -> str:
	"""Plain text of a (normalised) field value for display and diffing."""
	if isinstance(value, list):
		return ", ".join(str(v) for v in value)
	if field in HTML_FIELDS:
		return html_to_text(value)
	return "" if value is None else str(value)


def _escape(text: str) -> str:
	return html.escape(text, quote=True).replace("\n", "<br>")


def _diff_segments(a: list[str], b: list[str]) -> list[tuple[bool, str, str]]:
	"""(changed, old text, new text) runs; a whitespace-only unchanged gap between two changes is
	folded into them, so "The printer" -> "A spooler" reads as one change, not two."""
	segments: list[tuple[bool, str, str]] = []
	for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
		segments.append((op != "equal", "".join(a[i1:i2]), "".join(b[j1:j2])))
	merged: list[tuple[bool, str, str]] = []
	for index, (changed, old, new) in enumerate(segments):
		gap = not changed and not old.strip() and 0 < index < len(segments) - 1
		if gap and merged and merged[-1][0] and segments[index + 1][0]:
			changed = True
		if changed and merged and merged[-1][0]:
			_, prev_old, prev_new = merged.pop()
			old, new = prev_old + old, prev_new + new
		merged.append((changed, old, new))
	return merged


def diff_html(old: str, new: str) -> str:
	"""Word-level diff of two plain texts as safe HTML: every piece of text is escaped; only our
	own ``<del class="km-diff-del">``, ``<ins class="km-diff-ins">`` and ``<br>`` tags appear."""
	out = []
	for changed, old_text, new_text in _diff_segments(
		tokenize_for_diff(old or ""), tokenize_for_diff(new or "")
	):
		if not changed:
			out.append(_escape(old_text))
			continue
		if old_text:
			out.append(f'<del class="{DIFF_DEL_CLASS}">{_escape(old_text)}</del>')
		if new_text:
			out.append(f'<ins class="{DIFF_INS_CLASS}">{_escape(new_text)}</ins>')
	return "".join(out)


def compare(
	a: Mapping, b: Mapping, labels: tuple[str, str] = ("v1", "v2"), fields: Iterable[str] = VERSIONED_FIELDS
) -> list[FieldDiff]:
	"""Field-by-field comparison of two articles or snapshots (``a`` older, ``b`` newer);
	``labels`` name the two versions in the rendered table."""
	snap_a, snap_b = snapshot(a), snapshot(b)
	diffs = []
	for field in fields:
		old, new = display_text(field, snap_a[field]), display_text(field, snap_b[field])
		changed = snap_a[field] != snap_b[field]
		diffs.append(
			FieldDiff(
				field=field,
				label=FIELD_LABELS.get(field, field),
				old=old,
				new=new,
				changed=changed,
				html=diff_html(old, new) if changed else _escape(new),
				versions=(str(labels[0]), str(labels[1])),
			)
		)
	return diffs


def render_comparison_html(
	diffs: Iterable[FieldDiff], labels: tuple[str, str] | None = None, only_changed: bool = False
) -> str:
	"""A small table: field | ``labels[0]`` | ``labels[1]`` (with the diff). ``labels`` default to
	the ones given to :func:`compare`. Everything from the articles is escaped; the only markup is
	our table, ``<del>``/``<ins>`` and ``<br>``."""
	diffs = list(diffs)
	if labels is None:
		labels = diffs[0].versions if diffs else ("v1", "v2")
	head = "".join(f"<th>{_escape(h)}</th>" for h in (MSG_COMPARE_FIELD, labels[0], labels[1]))
	rows = []
	for d in diffs:
		if only_changed and not d.changed:
			continue
		css = "km-diff-changed" if d.changed else "km-diff-same"
		rows.append(
			f'<tr class="{css}"><th>{_escape(d.label)}</th><td>{_escape(d.old)}</td><td>{d.html}</td></tr>'
		)
	return f'<table class="km-diff"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


# --- Restore -------------------------------------------------------------------------------------
def restore_payload(snap: Mapping | str) -> dict:
	"""Field values to copy into the working copy when an old version is restored as a new draft.

	Dates and links that were empty become ``None``; tags become a comma-separated string
	(KM Article.tags is Small Text); items stay a sorted list of Item codes: the caller builds the
	KM Article Item rows (``{"item": code}``), skipping Items deleted since.
	"""
	data = load_snapshot(snap) if isinstance(snap, str) else snapshot(snap)
	payload: dict[str, Any] = {}
	for field in VERSIONED_FIELDS:
		value = data[field]
		if field == "tags":
			payload[field] = ", ".join(value)
		elif field == "items":
			payload[field] = list(value)
		elif field in DATE_FIELDS or field in LINK_FIELDS:
			payload[field] = value or None
		else:
			payload[field] = value
	return payload


def next_version_number(current: int | None, published: bool) -> int:
	"""Version number of the working copy.

	``current`` is the article's version number and ``published`` whether that version has been
	published (frozen). A published version is never reused: editing it starts ``current + 1``.
	A new article (no number yet) starts at 1.
	"""
	current = int(current or 0)
	if current <= 0:
		return 1
	return current + 1 if published else current

"""HTML from users, cleaned with an explicit allow-list before it is stored or indexed.

Pure Python (bleach), no ``import frappe``.

Policy
------
* Tags: ordinary formatting, lists, headings, tables, links, images, code blocks (see
  :data:`ALLOWED_TAGS`). Unknown tags are stripped and their text kept; the *content* of
  :data:`DROP_CONTENT_TAGS` (script, style, iframe, object, embed, svg, math, ...) is dropped entirely.
* Attributes: a short list per tag (:data:`ALLOWED_ATTRIBUTES`), each value checked by
  :func:`_allow_attribute`. No event handlers, and **no ``style`` attribute at all** (we do not use
  bleach's CSSSanitizer: it needs tinycss2, and Frappe's Quill editor expresses alignment/indent
  with ``ql-*`` classes, which we keep).
* URLs: http, https, mailto, tel, relative and ``#anchor`` links. ``data:`` only as an ``img src``
  holding a base64 PNG/JPEG/GIF/WebP (Frappe's editor embeds pasted images that way). Obfuscated
  ``javascript:`` (entities, tabs, newlines, case) is caught by bleach's normalisation.
* Links opening a new window (``target="_blank"``) get ``rel="noopener noreferrer"``.
* Idempotent: ``sanitize_html(sanitize_html(x)) == sanitize_html(x)``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import bleach
from bleach.html5lib_shim import Filter

ALLOWED_TAGS = frozenset(
	{
		"p",
		"br",
		"b",
		"strong",
		"i",
		"em",
		"u",
		"s",
		"sub",
		"sup",
		"blockquote",
		"ul",
		"ol",
		"li",
		"h1",
		"h2",
		"h3",
		"h4",
		"h5",
		"h6",
		"hr",
		"span",
		"div",
		"a",
		"code",
		"pre",
		"kbd",
		"table",
		"thead",
		"tbody",
		"tfoot",
		"tr",
		"th",
		"td",
		"caption",
		"colgroup",
		"col",
		"img",
		"figure",
		"figcaption",
		"dl",
		"dt",
		"dd",
		"mark",
		"small",
	}
)

#: Elements removed together with everything inside them.
DROP_CONTENT_TAGS = frozenset(
	{
		"script",
		"style",
		"iframe",
		"frame",
		"frameset",
		"object",
		"embed",
		"applet",
		"noscript",
		"noembed",
		"noframes",
		"template",
		"svg",
		"math",
		"xmp",
		"title",
	}
)

_CLASS_TAGS = (
	"code",
	"pre",
	"span",
	"div",
	"p",
	"li",
	"ol",
	"ul",
	"blockquote",
	"h1",
	"h2",
	"h3",
	"h4",
	"h5",
	"h6",
)

ALLOWED_ATTRIBUTES: dict[str, tuple[str, ...]] = {
	"a": ("href", "title", "target", "rel"),
	"img": ("src", "alt", "title", "width", "height"),
	"td": ("colspan", "rowspan"),
	"th": ("colspan", "rowspan", "scope"),
	"col": ("span",),
	"colgroup": ("span",),
	"ol": ("start",),
	"pre": ("data-language",),
	**{tag: () for tag in _CLASS_TAGS if tag not in ("pre", "ol")},
}
for _tag in _CLASS_TAGS:
	ALLOWED_ATTRIBUTES[_tag] = (*tuple(ALLOWED_ATTRIBUTES.get(_tag, ())), "class")

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel", "data"})
#: ``data:`` URLs accepted in ``img src`` only.
DATA_IMAGE_RE = re.compile(r"^data:image/(png|jpe?g|gif|webp);base64,[a-z0-9+/=]+$", re.IGNORECASE)

LINK_TARGETS = frozenset({"_blank", "_self"})
NEW_WINDOW_REL = ("noopener", "noreferrer")

_CLASS_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_NUMBER_RE = re.compile(r"^\d{1,4}$")
_SIZE_RE = re.compile(r"^\d{1,5}(px|%)?$")
_LANGUAGE_RE = re.compile(r"^[A-Za-z0-9+#._-]{1,32}$")
_REL_TOKEN_RE = re.compile(r"^[a-z-]{1,32}$")
_URI_NOISE_RE = re.compile(r"[`\x00-\x20\x7f-\xa0\s]+")


def _normalized_uri(value: str) -> str:
	"""The URL as a browser would read its scheme: entities decoded, whitespace/controls removed."""
	return _URI_NOISE_RE.sub("", html.unescape(value)).lower()


def _uri_scheme(value: str) -> str:
	uri = _normalized_uri(value)
	match = re.match(r"^([a-z][a-z0-9+.-]*):", uri)
	return match.group(1) if match else ""


def _allow_class(value: str) -> bool:
	tokens = value.split()
	return bool(tokens) and all(_CLASS_TOKEN_RE.match(t) for t in tokens)


def _allow_attribute(tag: str, name: str, value: str) -> bool:
	"""Attribute filter for bleach: name on the allow-list and a value of the expected shape."""
	if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
		return False
	if name in ("href", "src"):
		scheme = _uri_scheme(value)
		if scheme == "data":
			return tag == "img" and name == "src" and bool(DATA_IMAGE_RE.match(_normalized_uri(value)))
		return scheme in ("", "http", "https", "mailto", "tel")
	if name == "class":
		return _allow_class(value)
	if name == "target":
		return value in LINK_TARGETS
	if name == "rel":
		return all(_REL_TOKEN_RE.match(t) for t in value.lower().split())
	if name in ("colspan", "rowspan", "span", "start"):
		return bool(_NUMBER_RE.match(value))
	if name in ("width", "height"):
		return bool(_SIZE_RE.match(value.strip()))
	if name == "data-language":
		return bool(_LANGUAGE_RE.match(value))
	if name == "scope":
		return value in ("row", "col", "rowgroup", "colgroup")
	return True  # title, alt: plain text, escaped on output


class _DropContentFilter(Filter):
	"""Remove :data:`DROP_CONTENT_TAGS` elements with everything inside them."""

	def __iter__(self):
		depth = 0
		for token in super().__iter__():
			kind = token["type"]
			name = token.get("name", "")
			if name in DROP_CONTENT_TAGS:
				if kind == "StartTag":
					depth += 1
				elif kind == "EndTag":
					depth = max(0, depth - 1)
				continue
			if depth == 0:
				yield token


class _LinkRelFilter(Filter):
	"""Add ``rel="noopener noreferrer"`` to links opening a new window."""

	def __iter__(self):
		for token in super().__iter__():
			if token["type"] == "StartTag" and token["name"] == "a":
				attrs = dict(token.get("data") or {})
				if attrs.get((None, "target")) == "_blank":
					rel = attrs.get((None, "rel"), "").split()
					rel += [r for r in NEW_WINDOW_REL if r not in rel]
					attrs[(None, "rel")] = " ".join(rel)
					token = {**token, "data": attrs}
			yield token


def _cleaner() -> bleach.Cleaner:
	# Drop-content tags are "allowed" for the parser so that it keeps them as elements (and
	# reads their content as raw text); _DropContentFilter then removes them with that content.
	return bleach.Cleaner(
		tags=ALLOWED_TAGS | DROP_CONTENT_TAGS,
		attributes=lambda tag, name, value: (
			tag not in DROP_CONTENT_TAGS and _allow_attribute(tag, name, value)
		),
		protocols=ALLOWED_PROTOCOLS,
		strip=True,
		strip_comments=True,
		filters=[_DropContentFilter, _LinkRelFilter],
	)


_VOID_DROP_TAGS = frozenset({"embed", "frame"})  # have no end tag, hide nothing after them
_TAG_RE = re.compile(r"<(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def _escape_unclosed_drop_tags(value: str) -> str:
	"""A script/style/math... element that is never closed would take everything after it with it
	when its content is dropped: escape such a start tag, so it and the text after it stay as text."""
	open_tags: list[re.Match] = []
	for m in _TAG_RE.finditer(value):
		name = m.group(2).lower()
		if name not in DROP_CONTENT_TAGS or name in _VOID_DROP_TAGS:
			continue
		if not m.group(1):
			open_tags.append(m)
			continue
		for i in range(len(open_tags) - 1, -1, -1):
			if open_tags[i].group(2).lower() == name:
				del open_tags[i:]  # closing an element closes what was opened inside it
				break
	for m in reversed(open_tags):
		value = f"{value[: m.start()]}&lt;{value[m.start() + 1 :]}"
	return value


def sanitize_html(value: str | None) -> str:
	"""Clean user HTML with the allow-list. ``None`` and empty give ``""``.

	Nothing a reader could see is lost: markup that is not allowed goes (its text stays), and an
	element that hides its content and is never closed is kept as escaped text instead of taking
	the rest of the field with it."""
	if not value:
		return ""
	# A new Cleaner per call: bleach's parser keeps state and is not thread-safe.
	return _cleaner().clean(_escape_unclosed_drop_tags(str(value)))


# --- Plain text ----------------------------------------------------------------------------------
BLOCK_TAGS = frozenset(
	{
		"p",
		"div",
		"br",
		"hr",
		"blockquote",
		"ul",
		"ol",
		"li",
		"h1",
		"h2",
		"h3",
		"h4",
		"h5",
		"h6",
		"pre",
		"table",
		"thead",
		"tbody",
		"tfoot",
		"tr",
		"caption",
		"figure",
		"figcaption",
		"dl",
		"dt",
		"dd",
		"section",
		"article",
		"header",
		"footer",
		"aside",
		"nav",
		"main",
		"address",
		"details",
		"summary",
	}
)
CELL_TAGS = frozenset({"td", "th"})
_TEXT_SKIP_TAGS = DROP_CONTENT_TAGS - _VOID_DROP_TAGS
_SPACES_RE = re.compile(r"[ \t\r\f\v\xa0\u200b\u3000]+")


class _TextExtractor(HTMLParser):
	def __init__(self):
		super().__init__(convert_charrefs=True)
		self.parts: list[str] = []
		self.skip = 0
		self.pre = 0  # inside <pre>, source line breaks are real line breaks

	def handle_starttag(self, tag, attrs):
		if tag in _TEXT_SKIP_TAGS:
			self.skip += 1
		elif tag in BLOCK_TAGS:
			self.pre += tag == "pre"
			self.parts.append("\n")
		elif tag in CELL_TAGS:
			self.parts.append(" ")

	def handle_startendtag(self, tag, attrs):
		if tag in BLOCK_TAGS:
			self.parts.append("\n")

	def handle_endtag(self, tag):
		if tag in _TEXT_SKIP_TAGS:
			self.skip = max(0, self.skip - 1)
		elif tag in BLOCK_TAGS:
			if tag == "pre":
				self.pre = max(0, self.pre - 1)
			self.parts.append("\n")
		elif tag in CELL_TAGS:
			self.parts.append(" ")

	def handle_data(self, data):
		if not self.skip:
			self.parts.append(data if self.pre else re.sub(r"[\r\n]+", " ", data))


def html_to_text(value: str | None) -> str:
	"""Plain text for indexing and diffing.

	Block tags become line breaks, entities are unescaped, runs of spaces collapse to one,
	lines are trimmed and blank lines dropped. Script/style content never appears.
	"""
	if not value:
		return ""
	parser = _TextExtractor()
	parser.feed(str(value))
	parser.close()
	text = "".join(parser.parts)
	lines = (_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))
	return "\n".join(line for line in lines if line)

"""Turn one article (a plain dict) into the passage documents the search backends index.

An article is split by KCS section (summary, issue, environment, cause, resolution) and, inside a
section, by HTML headings and block elements. Small paragraphs are merged and long ones split at
sentence boundaries (Chinese sentence punctuation included) so each passage stays under a size cap.
Text is plain: tags dropped, script/style content dropped, entities decoded.

The text of the files its live version holds (`files`: what attachments/extract.py read from each,
by part: a PDF page, a sheet's rows, a heading's text) becomes passages of section "file", each
knowing its file and where in it (`Passage.file`: name, content hash, page / sheet and rows). They
share the article's audience and status; a private file's passages of a Public article are for
signed-in readers only (roles: constants.SIGNED_IN_ROLE), since guests never receive a private file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser

from km_crm import constants as C
from km_crm.search.analysis import analyze_to_string, detect_language

SECTIONS = ("summary", "issue", "environment", "cause", "resolution")
FILE_SECTION = "file"  # passages from an attached file's text
SECTION_LABELS = {
	"en": {
		"summary": "Summary",
		"issue": "Issue",
		"environment": "Environment",
		"cause": "Cause",
		"resolution": "Resolution",
	},
	"zh": {
		"summary": "摘要",
		"issue": "问题",
		"environment": "环境",
		"cause": "原因",
		"resolution": "解决方案",
	},
}
MAX_PASSAGE_CHARS = 1200
LEAD_MAX_CHARS = 200  # a "first sentence" longer than this is a paragraph without punctuation
MIN_PASSAGE_CHARS = 200

_BLOCK_TAGS = frozenset(
	"p div li ul ol table tr td th br hr pre blockquote section article dd dt dl figcaption".split()
)
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_SKIP_TAGS = frozenset(("script", "style", "template", "noscript", "iframe", "object", "svg", "head"))
_SENTENCE_RE = re.compile(r"[^.!?。！？；;\n]+(?:[.!?。！？；;]+[\"'”’）)]*|\n|$)")
_SPACE_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


@dataclass
class Passage:
	id: str
	article_id: str
	n: int
	title: str
	section: str
	heading: str
	text: str
	lang: str
	audience: str
	status: str
	modified: str
	category_path: list[str] = field(default_factory=list)
	items: list[str] = field(default_factory=list)
	tags: list[str] = field(default_factory=list)
	roles: list[str] = field(default_factory=list)
	scope: list[str] = field(default_factory=list)  # access scope keys (backend.scope_key), tickets only
	html_heading: str = ""
	lead: str = ""  # opening sentence of its section, on the section's first passage only
	# an attached file's passage: {"name", "hash", "page", "sheet", "rows": [first, last]} (see
	# file_location); None for the article's own text
	file: dict | None = None
	# an attached file's part's own vector (vector_store.pack), when search by meaning made one: ranking
	# reads the page's meaning from it instead of the article's vector, which knows the article alone
	vector: str = ""
	# on the first passage of an attached file's part (a page, a sheet's rows): the part's key
	# (part_key), by which the vector half finds the page its own vector is near
	part: str = ""


class _BlockParser(HTMLParser):
	"""Collect (heading, paragraph) blocks from an HTML fragment."""

	def __init__(self) -> None:
		super().__init__(convert_charrefs=True)
		self.blocks: list[tuple[str, str]] = []
		self.heading = ""
		self._buf: list[str] = []
		self._in_heading = 0
		self._heading_buf: list[str] = []
		self._skip = 0

	def _flush(self) -> None:
		text = _clean("".join(self._buf))
		self._buf = []
		for para in re.split(r"\n\s*\n", text):
			para = _clean(para)
			if para:
				self.blocks.append((self.heading, para))

	def handle_starttag(self, tag, attrs):
		if tag in _SKIP_TAGS:
			self._skip += 1
		elif tag in _HEADING_TAGS:
			self._flush()
			self._in_heading += 1
			self._heading_buf = []
		elif tag in _BLOCK_TAGS:
			self._flush()

	def handle_startendtag(self, tag, attrs):
		if tag in _BLOCK_TAGS:
			self._flush()

	def handle_endtag(self, tag):
		if tag in _SKIP_TAGS:
			self._skip = max(0, self._skip - 1)
		elif tag in _HEADING_TAGS and self._in_heading:
			self._in_heading -= 1
			self.heading = _clean("".join(self._heading_buf))
		elif tag in _BLOCK_TAGS:
			self._flush()

	def handle_data(self, data):
		if self._skip:
			return
		(self._heading_buf if self._in_heading else self._buf).append(data)

	def close(self):
		super().close()
		self._flush()


def _clean(text: str) -> str:
	lines = [_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
	out, blank = [], False
	for line in lines:
		if line:
			out.append(line)
			blank = False
		elif not blank and out:
			out.append("")
			blank = True
	return "\n".join(out).strip()


def html_blocks(html: str | None) -> list[tuple[str, str]]:
	"""[(html heading or "", plain paragraph)] for an HTML (or plain text) fragment."""
	if not html:
		return []
	parser = _BlockParser()
	parser.feed(html)
	parser.close()
	return parser.blocks


def split_sentences(text: str) -> list[str]:
	"""Sentences and lines of a passage. Not kcs.split_sentences: measured, that one (which keeps
	"3.5" and ASCII ";" inside a sentence and joins lines) changes the opening sentences that the
	lead field indexes, and lost relevance (stackfaq_en MRR@10 0.8639 -> 0.8630)."""
	return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
	"""(start, end) in `text` of each sentence split_sentences gives (where snippets may begin and end)."""
	spans = []
	for m in _SENTENCE_RE.finditer(text):
		start, end = m.span()
		while start < end and text[start].isspace():
			start += 1
		while end > start and text[end - 1].isspace():
			end -= 1
		if start < end:
			spans.append((start, end))
	return spans


def _split_long(text: str, max_chars: int) -> list[str]:
	if len(text) <= max_chars:
		return [text]
	pieces: list[str] = []
	current = ""
	for sentence in split_sentences(text):
		while len(sentence) > max_chars:  # one enormous sentence: cut at a space if possible
			cut = sentence.rfind(" ", 0, max_chars)
			cut = cut if cut > max_chars // 2 else max_chars
			if current:
				pieces.append(current)
				current = ""
			pieces.append(sentence[:cut].strip())
			sentence = sentence[cut:].strip()
		joiner = "" if _ends_cjk(current) else " "
		if current and len(current) + len(joiner) + len(sentence) > max_chars:
			pieces.append(current)
			current = sentence
		else:
			current = f"{current}{joiner}{sentence}" if current else sentence
	if current:
		pieces.append(current)
	return pieces


def _ends_cjk(text: str) -> bool:
	return bool(text) and ord(text[-1]) > 0x2E80


def chunk_blocks(blocks: list[tuple[str, str]], max_chars: int, min_chars: int) -> list[tuple[str, str]]:
	"""Merge small consecutive paragraphs under one heading; split long ones at sentence ends."""
	chunks: list[tuple[str, str]] = []
	for heading, text in blocks:
		for piece in _split_long(text, max_chars):
			if chunks:
				last_heading, last_text = chunks[-1]
				fits = len(last_text) + len(piece) + 1 <= max_chars
				if (
					last_heading == heading
					and fits
					and (len(last_text) < min_chars or len(piece) < min_chars)
				):
					chunks[-1] = (heading, f"{last_text}\n{piece}")
					continue
			chunks.append((heading, piece))
	return chunks


def iso_modified(value) -> str:
	if isinstance(value, datetime | date):
		return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
	return str(value or "")


def _as_list(value) -> list[str]:
	if not value:
		return []
	if isinstance(value, str):
		return [v.strip() for v in value.split(",") if v.strip()]
	return [str(v) for v in value if v not in (None, "")]


def article_to_passages(
	article: dict, max_chars: int = MAX_PASSAGE_CHARS, min_chars: int = MIN_PASSAGE_CHARS
) -> list[Passage]:
	"""All passages of one article; always at least one (so the title alone is findable)."""
	article_id = str(article["name"])
	title = " ".join(str(article.get("title") or "").split())  # plain text, as typed (never markup)
	lang = article.get("language") or detect_language(
		" ".join(str(article.get(k) or "") for k in ("title", *SECTIONS))
	)
	labels = SECTION_LABELS.get(lang, SECTION_LABELS["en"])
	common = {
		"article_id": article_id,
		"title": title,
		"lang": lang,
		"audience": article.get("audience") or "Internal",
		"status": article.get("status") or "",
		"modified": iso_modified(article.get("modified")),
		"category_path": _as_list(article.get("category_path")),
		"items": _as_list(article.get("items")),
		"tags": _as_list(article.get("tags")),
		"roles": _as_list(article.get("roles")),
		"scope": _as_list(article.get("scope")),
	}
	passages: list[Passage] = []
	for section in SECTIONS:
		blocks = html_blocks(article.get(section))
		for i, (html_heading, text) in enumerate(chunk_blocks(blocks, max_chars, min_chars)):
			heading = html_heading or labels[section]
			passages.append(
				Passage(
					id="",
					n=0,
					section=section,
					heading=heading,
					text=text,
					html_heading=html_heading,
					lead=lead_sentence(text) if i == 0 else "",
					**common,
				)
			)
	if not passages:
		passages.append(Passage(id="", n=0, section="", heading="", text="", **common))
	for file in article.get("files") or ():
		passages.extend(_file_passages(file, common, max_chars, min_chars))
	for n, passage in enumerate(passages):
		passage.n = n
		passage.id = f"{article_id}#{n}"
	return passages


def _file_passages(file: dict, common: dict, max_chars: int, min_chars: int) -> list[Passage]:
	"""Passages of one attached file's parts: each part's paragraphs chunked like an article's, the
	opening sentence of a part (a page's first line: often its heading) indexed as its lead."""
	common = dict(common)
	if file.get("private") and common["audience"] == C.PUBLIC:
		common["roles"] = [C.SIGNED_IN_ROLE]
	passages = []
	for part in file.get("parts") or ():
		heading = " ".join(str(part.get("heading") or "").split())
		paragraphs = [p for p in re.split(r"\n\s*\n", str(part.get("text") or "")) if p.strip()]
		location = file_location(file, part)
		for i, (_h, text) in enumerate(
			chunk_blocks([(heading, p) for p in paragraphs], max_chars, min_chars)
		):
			passages.append(
				Passage(
					id="",
					n=0,
					section=FILE_SECTION,
					heading=heading,
					text=text,
					html_heading=heading,
					lead=lead_sentence(text) if i == 0 else "",
					file=location,
					vector=str(part.get("vector") or ""),
					part=part_key(location) if i == 0 else "",
					**common,
				)
			)
	return passages


def part_key(location: dict) -> str:
	"""The key of an attached file's part (a file_location): its content hash and where in the file."""
	rows = location.get("rows") or [0, 0]
	return f"{location.get('hash', '')}:{location.get('page', 0)}:{location.get('sheet', '')}:{rows[0]}"


def part_vectors(article: dict) -> dict[str, str]:
	"""{part key: packed vector} of the parts of an article's attached files that have a vector (the
	article dict the index holds: article_to_passages's input)."""
	found = {}
	for file in article.get("files") or ():
		for part in file.get("parts") or ():
			if part.get("vector"):
				found[part_key(file_location(file, part))] = str(part["vector"])
	return found


def file_location(file: dict, part: dict) -> dict:
	"""Where a passage of an attached file is: the file's name and content hash, and its page, or its
	sheet and rows (0 / "" when the format has none)."""
	return {
		"name": str(file.get("file_name") or ""),
		"hash": str(file.get("content_hash") or ""),
		"page": int(part.get("page") or 0),
		"sheet": str(part.get("sheet") or ""),
		"rows": [int(part.get("first_row") or 0), int(part.get("last_row") or 0)],
	}


def embedding_source(article: dict) -> tuple[str, str]:
	"""(title, text) of an article as the embedding reads it (embedding.passage_text keeps the title
	and the opening of the text): the same plain text its passages are made of, sections in order."""
	title = " ".join(str(article.get("title") or "").split())
	text = " ".join(block for section in SECTIONS for _h, block in html_blocks(article.get(section)))
	return title, text


def lead_sentence(text: str | None, max_chars: int = LEAD_MAX_CHARS) -> str:
	"""The opening sentence of a passage (cut to max_chars): where an answer names its subject."""
	for sentence in split_sentences(text or ""):
		return sentence[:max_chars]
	return ""


def passage_terms(passage: Passage) -> dict[str, str]:
	"""The analysed term strings of a passage per text field, as every backend indexes them."""
	title = passage.title
	if passage.tags:
		title = f"{title}\n" + " ".join(passage.tags)
	return {
		"title": analyze_to_string(title),
		"heading": analyze_to_string(passage.html_heading),
		"lead": analyze_to_string(passage.lead),
		"text": analyze_to_string(passage.text),
	}


def display_data(passage: Passage) -> dict:
	"""What an engine stores of a passage to show it (the rest of a hit: its ids and version)."""
	return {
		"title": passage.title,
		"heading": passage.heading,
		"text": passage.text,
		"section": passage.section,
		"lang": passage.lang,
		"audience": passage.audience,
		"status": passage.status,
		"category_path": passage.category_path,
		"items": passage.items,
		"file": passage.file,
		**({"vector": passage.vector} if passage.vector else {}),
	}

"""Snippets (pure): an HTML-escaped excerpt of a passage around the query's words, each in <mark>.

A word is marked when its index term (analysis.word_term: its stem) is one of the query's terms, and
a run of Chinese characters when a query character or character pair covers it, so a snippet marks
exactly what matched. Called for the title and best passage of every result, so it is on every
search's path, and kept cheap:
- What depends only on the query's terms is prepared once per term set (`_marker`, cached).
- Each text is prepared once (`_prepared`, a small per-process cache keyed by the text itself, so a
  changed text is simply another key): normalised, its distinct words sorted. Ranking shows the
  same titles and passages query after query.
- English and other words: a Porter2 stem differs from its word only in the last two letters
  ("possibility" -> "possibl", "dying" -> "die"; checked on every word of the evaluation sets), so a
  term's words are found by bisecting the sorted words for the term minus its last two letters and
  stemming only those; their occurrences come from str.find. Both are remembered with the text.
  (Grouping every word of a text by its term up front cost more than it saved on the large sets,
  where most texts are shown once.)
- An excerpt depends only on which query terms the text holds, so a text keeps its last excerpts by
  those terms: the next query that marks the same words in it gets the same string back.
- Chinese: the positions each query character or pair covers (str.find), joined into runs.
"""

from __future__ import annotations

import bisect
import html
import re
from functools import lru_cache

from km_crm.search.analysis import CJK_CHARS, is_cjk_term, normalize, tokens_with_offsets, word_term
from km_crm.search.documents import sentence_spans

SNIPPET_CHARS = 240
TEXT_CACHE = 2048  # texts whose words a process keeps (about 5 kB each)
EXCERPTS_PER_TEXT = 16  # excerpts of one text kept (by the query terms in it), then forgotten
_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters: where <mark> goes, until escaping

_CJK_RE = re.compile(f"[{CJK_CHARS}]")
_WORD_CHAR_RE = re.compile(rf"[^\W_{CJK_CHARS}]")  # a character of a word (analysis._RUN_RE)
_WORD_RE = re.compile(rf"[^\W_{CJK_CHARS}]+")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")  # the same words in lower-case ASCII text


def _stem_prefix(term: str) -> str:
	"""What every word whose index term is `term` starts with (at least its first letter)."""
	return term[: max(1, len(term) - 2)]


class _Marker:
	"""What one set of highlight terms looks for (built once per query; no regular expression is
	compiled per query: Python's compiler costs more than scanning all of a query's snippets)."""

	def __init__(self, terms: frozenset[str]) -> None:
		self.terms = terms
		# (term, what its words start with): not word pairs ("a_b") or Chinese
		self.words = sorted((t, _stem_prefix(t)) for t in terms if _WORD_RE.fullmatch(t))
		self.chars = sorted(t for t in terms if len(t) == 1 and is_cjk_term(t))
		self.pairs = sorted(
			t for t in terms if len(t) == 2 and _CJK_RE.fullmatch(t[0]) and _CJK_RE.fullmatch(t[1])
		)

	def present(self, prepared: _Text) -> frozenset[str]:
		"""The terms of this marker that occur in the text: all its marks depend on."""
		found = frozenset(t for t, prefix in self.words if prepared.term_spans(t, prefix))
		if self.chars or self.pairs:
			found |= frozenset(filter(prepared.norm.__contains__, self.chars + self.pairs))
		return found

	def spans(self, prepared: _Text) -> list[tuple[int, int]]:
		"""(start, end) of each marked word and Chinese run of the text, in text order."""
		if prepared.runs is not None:
			return self._spans_by_run(prepared.runs)
		spans = self._word_spans(prepared) if self.words else []
		if self.chars or self.pairs:
			spans.extend(self._cjk_spans(prepared.norm))
		spans.sort()
		return spans

	def _word_spans(self, prepared: _Text) -> list[tuple[int, int]]:
		spans: list[tuple[int, int]] = []
		for term, prefix in self.words:
			spans.extend(prepared.term_spans(term, prefix))
		return spans

	def _cjk_spans(self, norm: str) -> list[tuple[int, int]]:
		covered = set()
		for chunk, width in ((self.chars, 1), (self.pairs, 2)):
			for needle in chunk:
				start = norm.find(needle)
				while start != -1:
					covered.update(range(start, start + width))
					start = norm.find(needle, start + 1)
		return _runs(sorted(covered))

	def _spans_by_run(self, runs: list[tuple[int, int, str, str]]) -> list[tuple[int, int]]:
		"""spans() for text whose normalised form has another length (each run normalised apart)."""
		spans: list[tuple[int, int]] = []
		terms = self.terms
		for start, end, kind, norm in runs:
			if kind == "word":
				if word_term(norm) in terms:
					spans.append((start, end))
			elif len(norm) == end - start:
				covered = [
					i
					for i in range(len(norm))
					if norm[i] in terms or norm[i : i + 2] in terms or (i and norm[i - 1 : i + 1] in terms)
				]
				spans.extend((start + s, start + e) for s, e in _runs(covered))
		return spans


def _runs(positions: list[int]) -> list[tuple[int, int]]:
	"""Sorted positions -> (start, end) of each run of consecutive ones."""
	runs = []
	start = previous = None
	for i in positions:
		if start is None:
			start = previous = i
		elif i == previous + 1:
			previous = i
		else:
			runs.append((start, previous + 1))
			start = previous = i
	if start is not None:
		runs.append((start, previous + 1))
	return runs


class _Text:
	"""A normalised text, its distinct words sorted, and where each query term asked for occurs; or,
	when normalising changes the text's length, its runs each normalised apart (`runs`). It keeps
	the last few excerpts made of it, by the query terms it holds and the length asked for (all an
	excerpt depends on)."""

	__slots__ = ("_excerpts", "_occurrences", "_terms", "norm", "runs", "text", "words")

	def __init__(self, text: str) -> None:
		self.text = text
		norm = normalize(text)
		self.runs = tokens_with_offsets(text) if len(norm) != len(text) else None
		self.norm = norm
		words = (
			() if self.runs else _ASCII_WORD_RE.findall(norm) if norm.isascii() else _WORD_RE.findall(norm)
		)
		self.words = tuple(sorted(set(words)))
		self._occurrences: dict[str, tuple[tuple[int, int], ...]] = {}
		self._terms: dict[str, tuple[tuple[int, int], ...]] = {}
		self._excerpts: dict[tuple[frozenset[str], int], str] = {}

	def term_spans(self, term: str, prefix: str) -> tuple[tuple[int, int], ...]:
		"""(start, end) of each word whose index term is `term`; its words all start with `prefix`
		and sit together in the sorted words."""
		found = self._terms.get(term)
		if found is None:
			words, spans = self.words, []
			i = bisect.bisect_left(words, prefix)
			while i < len(words) and words[i].startswith(prefix):
				if word_term(words[i]) == term:
					spans.extend(self.occurrences(words[i]))
				i += 1
			found = self._terms[term] = tuple(spans)
		return found

	def occurrences(self, word: str) -> tuple[tuple[int, int], ...]:
		"""(start, end) of each whole-word occurrence of `word` (str.find, then a boundary check)."""
		found = self._occurrences.get(word)
		if found is None:
			norm, spans = self.norm, []
			boundary = _WORD_CHAR_RE.match
			start = norm.find(word)
			while start != -1:
				end = start + len(word)
				if not ((start and boundary(norm, start - 1)) or (end < len(norm) and boundary(norm, end))):
					spans.append((start, end))
				start = norm.find(word, end)
			found = self._occurrences[word] = tuple(spans)
		return found

	def excerpt(self, marker: _Marker, max_chars: int) -> str:
		if self.runs is not None:  # rare (NFKC changes the text's length): made every time
			return _excerpt(self.text, marker.spans(self), max_chars)
		key = (marker.present(self), max_chars)
		found = self._excerpts.get(key)
		if found is None:
			found = _excerpt(self.text, marker.spans(self) if key[0] else [], max_chars)
			if len(self._excerpts) >= EXCERPTS_PER_TEXT:
				self._excerpts.clear()
			self._excerpts[key] = found
		return found


@lru_cache(maxsize=TEXT_CACHE)
def _prepared(text: str) -> _Text:
	"""The text prepared for marking. Cached by content: ranking shows the same titles and
	passages query after query, and a changed text is another key."""
	return _Text(text)


@lru_cache(maxsize=64)
def _marker(terms: frozenset[str]) -> _Marker:
	return _Marker(terms)


def _window(text: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
	"""Where the excerpt begins and ends: around the most marks that fit, from the start of the
	sentence holding the first of them when that is near, else from a word's start; up to the last
	sentence end that fits, else a word's end. Chinese may be cut between any two characters."""
	if len(text) <= max_chars:
		return 0, len(text)
	best_start = 0
	if spans:
		ends = [e for _, e in spans]  # spans do not overlap, so their ends are in order too
		best_start, best_count = spans[0][0], 0
		for i, (s, _) in enumerate(spans):
			n = bisect.bisect_right(ends, s + max_chars, lo=i) - i
			if n > best_count:
				best_start, best_count = s, n
	sentences = _sentences(text)
	starts = [s for s, _ in sentences]
	i = bisect.bisect_right(starts, best_start) - 1
	if i >= 0 and best_start - starts[i] <= max_chars // SENTENCE_LEAD:
		start = starts[i]
	else:
		start = max(0, best_start - max_chars // 6)
		while start < best_start and not _clean_cut(text, start):
			start += 1
		while start < best_start and text[start].isspace():
			start += 1
	if start + max_chars >= len(text):  # the end is in reach: the room left goes to earlier sentences
		earlier = [s for s in starts if len(text) - max_chars <= s < start]
		return (earlier[0] if earlier else start), len(text)
	limit = start + max_chars
	fitting = [e for s, e in sentences if s >= start and start + max_chars // 2 <= e <= limit]
	if fitting:
		return start, fitting[-1]
	end = limit
	while end > start + max_chars // 2 and not _clean_cut(text, end):
		end -= 1
	if end <= start + max_chars // 2:
		return start, limit  # one very long word (a link, a code): cut it
	while end > start and text[end - 1].isspace():
		end -= 1
	return start, end


@lru_cache(maxsize=TEXT_CACHE)
def _sentences(text: str) -> list[tuple[int, int]]:
	"""Sentences of a text that begin and end on a clean cut (kept with the text: ranking shows
	the same passages query after query)."""
	return [(s, e) for s, e in sentence_spans(text) if _clean_cut(text, s) and _clean_cut(text, e)]


SENTENCE_LEAD = 3  # an excerpt may begin up to max_chars / SENTENCE_LEAD before its first mark
_CJK_CHAR = re.compile(f"[{CJK_CHARS}\u3000-\u303f\uff00-\uffef]")  # Chinese and its punctuation


def _clean_cut(text: str, i: int) -> bool:
	"""Whether text may be cut before text[i] without splitting a word (Chinese: anywhere)."""
	if i <= 0 or i >= len(text):
		return True
	before, after = text[i - 1], text[i]
	return (
		before.isspace()
		or after.isspace()
		or _CJK_CHAR.match(before) is not None
		or _CJK_CHAR.match(after) is not None
	)


def highlight(text: str, terms: set[str] | frozenset[str], max_chars: int = SNIPPET_CHARS) -> str:
	"""HTML-escaped excerpt of `text` around the matched terms, each wrapped in <mark>."""
	if not (terms and text):
		return _excerpt(text or "", [], max_chars)
	marker = _marker(terms if isinstance(terms, frozenset) else frozenset(terms))
	return _prepared(text).excerpt(marker, max_chars)


def _excerpt(text: str, spans: list[tuple[int, int]], max_chars: int) -> str:
	start, end = _window(text, spans, max_chars)
	spans = [(s, e) for s, e in spans if start <= s and e <= end]
	if _OPEN in text or _CLOSE in text:  # cannot stand in for the marks: escape piece by piece
		out, pos = [], start
		for s, e in spans:
			out.append(f"{html.escape(text[pos:s])}<mark>{html.escape(text[s:e])}</mark>")
			pos = e
		body = "".join(out) + html.escape(text[pos:end])
	else:  # one escape of the whole excerpt
		out, pos = [], start
		for s, e in spans:
			out.append(f"{text[pos:s]}{_OPEN}{text[s:e]}{_CLOSE}")
			pos = e
		body = html.escape("".join(out) + text[pos:end]).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
	return (("…" if start > 0 else "") + body + ("…" if end < len(text) else "")).strip()

"""Typo tolerance for words the index has never seen (pure).

A query word (already stemmed) that no article contains cannot help the ranking, and customers
misspell: "retreive", "adress", "highliht". For such a word only, the closest index term is added
to the query at a lower weight: among the strings one edit away (a letter inserted, deleted or
replaced, two neighbours swapped: about 55 per letter, looked up in the index's term dictionary in
one call), the one most passages contain. Words the index knows are never touched, nor are words
under four letters, numbers or Chinese. (Two edits gained nothing more on the measured sets.)

Measured on the web-app FAQ paraphrases (stackfaq_en, human-written queries with typos): MRR@10
+0.003/+0.004 on the two halves of the dev queries; no change on InsuranceQA.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from km_crm.search.analysis import SHINGLE_JOIN, QueryTerm, is_cjk_term

CORRECTION_WEIGHT = 0.5
MIN_LENGTH = 4
MAX_LENGTH = 20  # longer "words" are codes or noise, not typos (and cost 55 lookups per letter)
MAX_CORRECTED = 3  # unknown words looked up per query, in query order
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def correctable(term: str) -> bool:
	"""A plain alphabetic word long enough to correct (not Chinese, a number or a word pair)."""
	return (
		MIN_LENGTH <= len(term) <= MAX_LENGTH
		and term.isascii()
		and term.isalpha()
		and SHINGLE_JOIN not in term
		and not is_cjk_term(term)
	)


def one_edit_away(word: str, within: int | None = None) -> set[str]:
	"""Every string one edit from word: a letter deleted, inserted or replaced, or two neighbours swapped.

	within=k: only the edits among the first k letters (every neighbour that does not start with
	word[:k] is one of them; the rest keep those letters)."""
	last = len(word) if within is None else min(within, len(word))
	splits = [(word[:i], word[i:]) for i in range(last + 1)]
	deletes = {a + b[1:] for a, b in splits[:last] if b}
	swaps = {a + b[1] + b[0] + b[2:] for a, b in splits[:last] if len(b) > 1}
	replaces = {a + c + b[1:] for a, b in splits[:last] if b for c in _LETTERS}
	inserts = {a + c + b for a, b in (splits if within is None else splits[:last]) for c in _LETTERS}
	return (deletes | swaps | replaces | inserts) - {word}


def is_one_edit(word: str, other: str) -> bool:
	"""Whether other is in one_edit_away(word) (letters only, as there)."""
	if other == word or abs(len(other) - len(word)) > 1 or other.strip(_LETTERS):  # a-z only
		return False
	i = 0
	while i < min(len(word), len(other)) and word[i] == other[i]:
		i += 1
	if len(word) == len(other):
		return word[i + 1 :] == other[i + 1 :] or (
			word[i + 2 :] == other[i + 2 :] and word[i : i + 2] == other[i : i + 2][::-1]
		)
	if len(other) > len(word):
		return word[i:] == other[i + 1 :]
	return word[i + 1 :] == other[i:]


def best_correction(word: str, doc_freqs: Mapping[str, int]) -> str | None:
	"""The most common index term among word's one-edit neighbours (doc_freqs covers them)."""
	if not correctable(word):
		return None
	found = [(int(n), t) for t, n in doc_freqs.items() if n and t != word and len(t) >= MIN_LENGTH - 1]
	if not found:
		return None
	return min(found, key=lambda item: (-item[0], item[1]))[1]


def with_corrections(
	terms: list[QueryTerm],
	doc_freqs: Callable[[list[str]], Mapping[str, int]],
	neighbour_freqs: Callable[[str], Mapping[str, int]] | None = None,
) -> list[QueryTerm]:
	"""terms plus a correction for each correctable word the index lacks.

	doc_freqs(words) -> {word: passages containing it}, from the search backend.
	neighbour_freqs(word) -> the same for the index terms one edit from word (others may be left
	out); a backend may find those faster than by asking doc_freqs for every neighbour.
	"""
	neighbour_freqs = neighbour_freqs or (lambda word: doc_freqs(sorted(one_edit_away(word))))
	words = [t for t in terms if not t.synonym and correctable(t.term)]
	if not words:
		return terms
	counts = doc_freqs([t.term for t in words])
	present = {t.term for t in terms}
	extra: list[QueryTerm] = []
	for qt in [t for t in words if not counts.get(t.term)][:MAX_CORRECTED]:
		fix = best_correction(qt.term, neighbour_freqs(qt.term))
		if fix and fix not in present:
			present.add(fix)
			extra.append(QueryTerm(fix, qt.weight * CORRECTION_WEIGHT, synonym=True, highlight=True))
	return terms + extra if extra else terms


def _candidate(term: str) -> bool:
	"""An index term that can be a correction: letters a-z, as long as a neighbour of a
	correctable word can be (best_correction keeps MIN_LENGTH - 1 and longer)."""
	return MIN_LENGTH - 1 <= len(term) <= MAX_LENGTH + 1 and term.isascii() and term.isalpha()


class NeighbourTable:
	"""The correction candidates of an index by their one-letter deletions (a symmetric-delete
	table): every term one edit from a word shares a key with it (the word itself, or the word or
	the term with one letter taken out), so neighbour_freqs(word) costs a look-up per letter.

	counts: (term, passages holding it) pairs, a term possibly more than once (one per field): the
	largest count is kept."""

	def __init__(self, counts) -> None:
		self.counts: dict[str, int] = {}
		for term, n in counts:
			if n > self.counts.get(term, 0) and _candidate(term):
				self.counts[term] = n
		self.table: dict[str, list[str]] = {}
		add = self.table.setdefault
		for term in self.counts:
			add(term, []).append(term)
			for i in range(len(term)):
				add(term[:i] + term[i + 1 :], []).append(term)

	def neighbour_freqs(self, word: str) -> dict[str, int]:
		"""{term: passages} for each index term one edit from word (spelling.is_one_edit)."""
		found: dict[str, int] = {}
		table, counts = self.table, self.counts
		for key in (word, *(word[:i] + word[i + 1 :] for i in range(len(word)))):
			for term in table.get(key, ()):
				if term not in found and is_one_edit(word, term):
					found[term] = counts[term]
		return found

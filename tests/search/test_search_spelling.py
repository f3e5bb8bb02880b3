"""Misspelt words the index has never seen are corrected to the most common index term one edit away."""

from __future__ import annotations

import random

from km_crm.search.analysis import analyze_query
from km_crm.search.spelling import (
	CORRECTION_WEIGHT,
	MIN_LENGTH,
	NeighbourTable,
	best_correction,
	is_one_edit,
	one_edit_away,
	with_corrections,
)


def test_one_edit_covers_swaps_deletions_insertions_and_replacements():
	near = one_edit_away("retreiv")
	assert "retriev" in near  # swapped neighbours
	assert {"adress"} <= one_edit_away("address") and "address" in one_edit_away("adress")
	assert "highlight" in one_edit_away("highliht") and "colour" in one_edit_away("color")
	assert "retreiv" not in near and "print" not in one_edit_away("scanner")


def test_best_correction_is_the_most_common_neighbour():
	assert best_correction("colour", {"color": 3, "colours": 30, "coloux": 0}) == "colours"
	assert best_correction("colour", {"coloux": 0}) is None
	assert best_correction("mai", {"mail": 9}) is None  # too short to guess


def fake_index(vocabulary):
	calls = []

	def doc_freqs(words):
		calls.append(list(words))
		return {w: vocabulary.get(w, 0) for w in words}

	return doc_freqs, calls


def test_only_words_the_index_lacks_are_corrected_and_weigh_less():
	doc_freqs, _ = fake_index({"retriev": 5, "archiv": 7, "messag": 9, "print": 4})
	terms = with_corrections(analyze_query("retreive archived mesage"), doc_freqs)
	by_term = {t.term: t for t in terms}
	assert by_term["retriev"].weight == CORRECTION_WEIGHT * by_term["retreiv"].weight
	assert by_term["retriev"].synonym and "messag" in by_term
	assert [t.term for t in terms].count("archiv") == 1  # a known word is left alone


def test_chinese_numbers_and_short_words_are_never_looked_up():
	doc_freqs, calls = fake_index({"printer": 1})
	terms = analyze_query("打印机 2024 abc")
	assert with_corrections(terms, doc_freqs) == terms
	assert calls == []


def test_lookups_stay_bounded_for_noise_queries():
	doc_freqs, calls = fake_index({})
	with_corrections(analyze_query("qwert asdfg zxcvb poiuy lkjhg mnbvc " + "x" * 30), doc_freqs)
	assert len(calls) == 1 + 3  # which words are known, then neighbours of the first three unknown
	assert all("x" * 30 not in call for call in calls)


def test_edits_among_the_first_letters_are_every_neighbour_that_changes_them():
	for word in ("retreive", "colaborator", "adress", "abba"):
		near = one_edit_away(word)
		first = one_edit_away(word, within=3)
		assert first <= near
		assert {n for n in near if not n.startswith(word[:3])} <= first
		assert len(first) < len(near) / 2 or len(word) < 6


def test_is_one_edit_agrees_with_the_neighbour_list():
	rng = random.Random(5)
	for _ in range(300):
		word = "".join(rng.choice("abcde") for _ in range(rng.randint(4, 7)))
		near = one_edit_away(word)
		others = list(near)[:40] + [
			"".join(rng.choice("abcde") for _ in range(rng.randint(3, 8))) for _ in range(40)
		]
		for other in [*others, word, word + "1", word[:-1] + "Z"]:
			assert is_one_edit(word, other) == (other in near), (word, other)


def test_neighbour_table_finds_exactly_the_index_terms_one_edit_away():
	rng = random.Random(7)
	letters = "abcdeor"
	terms = {"".join(rng.choice(letters) for _ in range(rng.randint(2, 7))) for _ in range(400)}
	# one count per field: the largest is kept; words pairs, numbers and non-ASCII are never candidates
	pairs = [(t, len(t)) for t in terms] + [(t, 1) for t in terms] + [("re_do", 5), ("2024", 5), ("café", 5)]
	table = NeighbourTable(pairs)
	for word in ["".join(rng.choice(letters) for _ in range(rng.randint(4, 8))) for _ in range(300)]:
		expected = {t: len(t) for t in terms if len(t) >= MIN_LENGTH - 1 and is_one_edit(word, t)}
		assert table.neighbour_freqs(word) == expected, word
	assert NeighbourTable([]).neighbour_freqs("printr") == {}

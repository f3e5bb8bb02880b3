"""Where a site's questions sit per language (question_means.py): the means kept, their storage, and
the correction an answer in another language gets."""

from __future__ import annotations

import numpy as np
import pytest

from km_crm.search.question_means import MIN_QUESTIONS, from_json, hub_corrections, means, to_json


def _vectors(n: int, seed: int, centre: float):
	rng = np.random.default_rng(seed)
	return [np.full(4, centre) + 0.01 * rng.standard_normal(4) for _ in range(n)]


def test_a_language_gets_a_mean_only_from_enough_questions():
	found = means({"en": _vectors(MIN_QUESTIONS, 1, 0.5), "zh": _vectors(MIN_QUESTIONS - 1, 2, -0.5)})
	assert set(found) == {"en"}
	assert found["en"] == pytest.approx(np.full(4, 0.5), abs=0.01)
	assert means({"": _vectors(MIN_QUESTIONS, 3, 0.1)}) == {}  # a language nobody could tell


def test_means_survive_storage_and_damaged_text_reads_as_none():
	found = means({"en": _vectors(MIN_QUESTIONS, 1, 0.5), "zh": _vectors(MIN_QUESTIONS, 2, -0.5)})
	back = from_json(to_json(found, {"en": 30, "zh": 31}))
	assert set(back) == {"en", "zh"}
	assert back["zh"] == pytest.approx(found["zh"], abs=1e-5)
	assert from_json("") == {} and from_json("{not json") == {} and from_json("[1, 2]") == {}
	assert from_json('{"en": {"mean": "x"}}') == {}


def test_corrections_move_answers_apart_within_each_language_and_keep_its_level():
	closeness = {1: 0.9, 2: 0.7, 3: 0.5, 4: 0.3}
	langs = {1: "zh", 2: "zh", 3: "ja", 4: "ja"}
	assert hub_corrections(closeness, langs) == pytest.approx({1: 0.1, 2: -0.1, 3: 0.1, 4: -0.1})
	assert hub_corrections({}, {}) == {}

"""Where a site's questions sit per language (question_means.py): the means kept, their storage, and
the correction an answer in another language gets."""

from __future__ import annotations

import numpy as np
import pytest

from km_crm.search.question_means import (
	MIN_QUESTIONS,
	LanguageMean,
	from_json,
	hub_corrections,
	levels_of,
	means,
	to_json,
	with_levels,
)


def _vectors(n: int, seed: int, centre: float):
	rng = np.random.default_rng(seed)
	return [np.full(4, centre) + 0.01 * rng.standard_normal(4) for _ in range(n)]


def test_a_language_gets_a_mean_only_from_enough_questions():
	found = means({"en": _vectors(MIN_QUESTIONS, 1, 0.5), "zh": _vectors(MIN_QUESTIONS - 1, 2, -0.5)})
	assert set(found) == {"en"}
	assert found["en"].vector == pytest.approx(np.full(4, 0.5), abs=0.01)
	assert found["en"].questions == MIN_QUESTIONS
	unit, norm = found["en"].unit()
	assert np.linalg.norm(unit) == pytest.approx(1.0) and norm == pytest.approx(1.0, abs=0.02)
	assert means({"": _vectors(MIN_QUESTIONS, 3, 0.1)}) == {}  # a language nobody could tell


def test_means_and_levels_survive_storage_and_damaged_text_reads_as_none():
	found = means({"en": _vectors(MIN_QUESTIONS, 1, 0.5), "zh": _vectors(MIN_QUESTIONS, 2, -0.5)})
	found["en"] = with_levels(found["en"], {"zh": 0.81, "en": 0.86})
	back = from_json(to_json(found))
	assert set(back) == {"en", "zh"}
	assert back["zh"].vector == pytest.approx(found["zh"].vector, abs=1e-5)
	assert back["en"].levels == pytest.approx({"zh": 0.81, "en": 0.86})
	assert back["en"].questions == MIN_QUESTIONS and back["zh"].levels == {}
	for damaged in ("", "{not json", "[1, 2]", '{"en": {"mean": "x"}}', '{"en": {"mean": ["a"]}}'):
		assert from_json(damaged) == {}, damaged


def test_levels_are_the_average_closeness_per_article_language():
	assert levels_of([0.9, 0.7, 0.5, 0.2], ["zh", "zh", "en", ""]) == pytest.approx({"zh": 0.8, "en": 0.5})


def test_an_answer_is_measured_from_its_languages_level_or_else_from_the_candidates():
	closeness = {1: 0.9, 2: 0.7, 3: 0.5, 4: 0.3}
	langs = {1: "zh", 2: "zh", 3: "ja", 4: "ja"}
	# no levels: from the average of the candidates in the same language
	assert hub_corrections(closeness, langs) == pytest.approx({1: 0.1, 2: -0.1, 3: 0.1, 4: -0.1})
	# a lone candidate with its language's level: still corrected (the average of one would be zero)
	assert hub_corrections({1: 0.9}, {1: "zh"}, {"zh": 0.82}) == pytest.approx({1: 0.08})
	assert hub_corrections({1: 0.9}, {1: "zh"}) == pytest.approx({1: 0.0})
	assert hub_corrections(closeness, langs, {"zh": 0.6}) == pytest.approx({1: 0.3, 2: 0.1, 3: 0.1, 4: -0.1})
	assert hub_corrections({}, {}) == {}
	assert isinstance(LanguageMean(np.zeros(2)).levels, dict)

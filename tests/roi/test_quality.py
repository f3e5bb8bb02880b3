from km_crm.roi.quality import STANDARD, choose_sample, coach_for, score, trend


def test_the_score_is_the_share_of_criteria_met_standard_and_added():
	assert score({c: True for c in STANDARD}) == 100.0
	assert score({"title_in_customer_words": True, "no_personal_data": True}) == 50.0
	assert score({c: True for c in STANDARD}, [False, False, False, False]) == 50.0
	assert score({}, [True]) == 20.0


def test_the_sample_is_random_per_contributor_but_repeatable_and_skips_checked_versions():
	versions = {"amy": ["KB-1-v1", "KB-2-v1", "KB-3-v1", "KB-4-v1"], "li": ["KB-9-v2"], "nobody": []}
	first = choose_sample(versions, 2, "2026-11")
	assert first == choose_sample(versions, 2, "2026-11")  # same month, same choice
	assert len(first["amy"]) == 2 and set(first["amy"]) <= set(versions["amy"])
	assert first["li"] == ["KB-9-v2"] and "nobody" not in first
	again = choose_sample(versions, 2, "2026-11", already=first["amy"])
	assert set(again["amy"]).isdisjoint(first["amy"])
	assert choose_sample(versions, 2, "2026-11", already=[*versions["amy"], "KB-9-v2"]) == {}


def test_the_trend_averages_each_contributor_by_month():
	checks = [
		("amy", "2026-10", 50.0),
		("amy", "2026-10", 100.0),
		("amy", "2026-11", 80.0),
		("li", "2026-11", 60.0),
	]
	assert trend(checks) == {
		"amy": [("2026-10", 75.0, 2), ("2026-11", 80.0, 1)],
		"li": [("2026-11", 60.0, 1)],
	}
	assert trend([]) == {}


def test_coaches_take_turns():
	assert [coach_for(i, ["c1", "c2"]) for i in range(3)] == ["c1", "c2", "c1"]
	assert coach_for(0, []) is None

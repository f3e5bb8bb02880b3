"""Grouping tickets into knowledge gaps (km_crm.gaps.clusters), on hand-made vectors."""

import numpy as np

from km_crm.gaps import clusters
from km_crm.search.confidence import MIN_SEMANTIC


def unit(*rows):
	v = np.asarray(rows, dtype=np.float32)
	return v / np.linalg.norm(v, axis=1, keepdims=True)


def at_cosine(base, cosine, axis):
	"""A unit vector at `cosine` from unit vector `base`, turned towards unit vector `axis` (orthogonal to base)."""
	return cosine * base + np.sqrt(1 - cosine**2) * axis


E = np.eye(6, dtype=np.float32)


def members(groups):
	return [sorted(g.members) for g in groups]


def test_tickets_about_one_problem_form_one_group_and_others_their_own():
	vectors = np.stack(
		[E[0], at_cosine(E[0], 0.95, E[1]), at_cosine(E[0], 0.95, E[2]), E[3], at_cosine(E[3], 0.97, E[4])]
	)
	groups = clusters.group_tickets(vectors, ["en"] * 5)
	assert members(groups) == [[0, 1, 2], [3, 4]]
	assert groups[0].leader == 0  # the ticket closest to the most others leads


def test_a_group_does_not_chain_through_a_middle_ticket():
	"""Five tickets on a line, each close to the next only: the line is not one group; each group is
	a leader and its neighbours."""
	step = np.arccos(0.93)
	line = np.stack([np.cos(i * step) * E[0] + np.sin(i * step) * E[1] for i in range(5)])
	assert float(line[1] @ line[3]) < clusters.GROUP_COSINE
	assert members(clusters.group_tickets(line, ["en"] * 5)) == [[0, 1, 2], [3, 4]]


def test_a_ticket_left_alone_joins_the_group_of_the_member_it_is_close_to():
	"""The same question asked again close to a member but not to the leader is not left out."""
	step = np.arccos(0.93)
	line = np.stack([np.cos(i * step) * E[0] + np.sin(i * step) * E[1] for i in range(4)])
	far = at_cosine(E[0], 0.2, E[3])
	assert members(clusters.group_tickets(np.vstack([line, far]), ["en"] * 5)) == [[0, 1, 2, 3], [4]]


def test_one_question_in_two_languages_joins_when_each_is_the_others_nearest():
	en = E[0]
	zh = at_cosine(en, clusters.GROUP_COSINE - 0.05, E[1])  # below the one-language threshold
	other_zh = at_cosine(en, 0.5, E[2])
	groups = clusters.group_tickets(np.stack([en, zh, other_zh]), ["en", "zh", "zh"])
	assert [0, 1] in members(groups)
	assert [2] in members(groups)


def test_a_far_translation_or_a_nearest_that_is_not_mutual_stays_apart():
	en = E[0]
	zh = at_cosine(en, clusters.GROUP_COSINE - clusters.CROSS_LANGUAGE_ALLOWANCE - 0.05, E[1])
	assert members(clusters.group_tickets(np.stack([en, zh]), ["en", "zh"])) == [[0], [1]]
	# zh_b's nearest English ticket is en, but en's nearest Chinese one is zh_a: only en and zh_a pair
	zh_a = at_cosine(en, 0.88, E[1])
	zh_b = at_cosine(en, 0.86, E[2])
	groups = clusters.group_tickets(np.stack([en, zh_a, zh_b]), ["en", "zh", "zh"])
	assert members(groups) == [[0, 1], [2]]


def test_a_group_is_covered_when_half_its_tickets_have_an_article_search_would_suggest():
	zh, en = MIN_SEMANTIC["zh"], MIN_SEMANTIC["en"]
	same = ["A", "A", "A"]  # the same article is every ticket's nearest
	assert clusters.is_covered([en + 0.01, en - 0.05], ["en", "en"], None, same[:2])
	assert not clusters.is_covered([en + 0.01, en - 0.05, en - 0.05], ["en"] * 3, None, same)
	assert not clusters.is_covered([zh - 0.01, zh - 0.01], ["zh", "zh"], None, same[:2])  # its own cut-off
	assert clusters.is_covered([zh, zh], ["zh", "zh"], None, same[:2])
	assert not clusters.is_covered([], [])


def test_an_article_close_to_one_ticket_only_must_be_closer_than_the_answer_to_all():
	en = MIN_SEMANTIC["en"]
	# each ticket's nearest article is a different neighbouring topic, each just above the cut-off
	assert not clusters.is_covered([en + 0.01] * 3, ["en"] * 3, None, ["A", "B", "C"])
	# one article is the nearest of every ticket: it answers them
	assert clusters.is_covered([en + 0.01] * 3, ["en"] * 3, None, ["A", "A", "A"])
	# a neighbouring topic far above the cut-off still covers its ticket
	assert clusters.is_covered(
		[en + clusters.ALONE_MARGIN, en + clusters.ALONE_MARGIN], ["en"] * 2, None, ["A", "B"]
	)


def test_the_most_common_resolution_and_the_same_gap_found_again():
	assert clusters.most_common_text(["Restart it.", "Set UTF-8.", "set  utf-8.", ""]) == "Set UTF-8."
	assert clusters.most_common_text(["", "  "]) == ""
	assert clusters.same_gap({"a", "b", "c"}, {"b", "c", "d", "e"})
	assert not clusters.same_gap({"a", "b", "c"}, {"c", "d", "e"})
	assert not clusters.same_gap(set(), {"a"})


def test_a_ticket_whose_twin_was_solved_with_an_article_is_covered():
	problem = E[0]
	twin = at_cosine(problem, clusters.TWIN_COSINE + 0.01, E[1])
	cousin = at_cosine(problem, clusters.TWIN_COSINE - 0.05, E[2])
	solved = np.stack([twin, cousin, twin])
	found = clusters.solved_twins(np.stack([problem, problem]), ["en", "zh"], solved, ["de", "en", "en"])
	assert found == [2, None]  # the closest twin in its language; a Chinese ticket has no English twin
	assert clusters.solved_twins(np.stack([problem]), ["en"], np.stack([cousin]), ["en"]) == [None]
	assert clusters.is_covered([0.1, 0.1], ["en", "en"], [2, None])
	assert not clusters.is_covered([0.1, 0.1, 0.1], ["en", "en", "en"], [2, None, None])

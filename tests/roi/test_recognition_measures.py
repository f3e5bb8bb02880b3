"""Citation, link accuracy and the monthly link sample, and which links count as reuse by others."""

from km_crm import constants as C
from km_crm.knowledge.reuse_rules import by_another_agent
from km_crm.roi.kcs_metrics import citation, link_accuracy, links_checked
from km_crm.roi.link_accuracy import choose_links, coach_for

RIGHT, WRONG = C.LINK_RIGHT, C.LINK_WRONG


def test_a_reuse_by_another_agent_counts_a_self_link_or_a_created_from_link_does_not():
	assert by_another_agent(C.LINK_SOLVED, "bo", "ana")
	assert by_another_agent(C.LINK_REFERENCED, "bo", "ana")
	assert not by_another_agent(C.LINK_SOLVED, "ana", "ana")
	assert not by_another_agent(C.LINK_CREATED_FROM, "bo", "ana")
	assert not by_another_agent(C.LINK_SOLVED, None, "ana")


def test_citation_counts_links_by_others_per_owner_most_cited_first():
	links = [
		(C.LINK_SOLVED, "bo", "ana"),
		(C.LINK_REFERENCED, "cy", "ana"),
		(C.LINK_SOLVED, "ana", "ana"),  # her own link
		(C.LINK_CREATED_FROM, "cy", "ana"),  # no reuse
		(C.LINK_SOLVED, "ana", "bo"),
		(C.LINK_SOLVED, "cy", None),  # an article without an owner
	]
	assert citation(links) == {"ana": 2, "bo": 1}
	assert list(citation(links)) == ["ana", "bo"]
	assert citation([]) == {}


def test_link_accuracy_is_the_share_found_right_and_a_wrong_one_lowers_it():
	assert link_accuracy([]) is None
	assert link_accuracy([RIGHT, RIGHT]) == 1.0
	assert link_accuracy([RIGHT, RIGHT, WRONG]) == 2 / 3
	assert links_checked([RIGHT, WRONG, None, ""]) == (1, 2)  # checks without a verdict are not done


def test_the_monthly_sample_is_per_agent_stable_and_never_twice():
	links = {"ana": ["l1", "l2", "l3", "l4"], "bo": ["l5"]}
	first = choose_links(links, 2, "2026-11")
	assert {a: len(c) for a, c in first.items()} == {"ana": 2, "bo": 1}
	assert choose_links(links, 2, "2026-11") == first  # a re-run picks the same
	again = choose_links(links, 2, "2026-11", already=[*first["ana"], *first["bo"]])
	assert set(again) == {"ana"} and not set(again["ana"]) & set(first["ana"])


def test_a_link_goes_round_to_coaches_who_may_read_the_article_never_to_its_agent():
	coaches = ["coach1", "coach2", "ana"]
	readable = {("coach1", "a1"), ("coach2", "a1"), ("ana", "a1"), ("coach2", "a2")}

	def may_read(coach, article):
		return (coach, article) in readable

	assert [coach_for(i, "ana", "a1", coaches, may_read) for i in range(3)] == ["coach1", "coach2", "coach1"]
	assert coach_for(0, "bo", "a2", coaches, may_read) == "coach2"
	assert coach_for(0, "coach2", "a2", coaches, may_read) is None  # nobody else may read it
	assert coach_for(0, "bo", "a1", [], may_read) is None

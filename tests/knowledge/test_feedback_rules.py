import pytest

from km_crm.knowledge.feedback_rules import FeedbackError, calls_for_review, check, owner_should_hear


def test_a_not_helpful_vote_names_a_known_reason():
	check(True, None)
	check(False, "Outdated")
	with pytest.raises(FeedbackError) as missing:
		check(False, None)
	assert missing.value.code == "reason_required"
	with pytest.raises(FeedbackError) as unknown:
		check(False, "Boring")
	assert unknown.value.code == "unknown_reason" and "Boring" in unknown.value.message


def test_the_owner_hears_of_not_helpful_votes_with_words():
	assert owner_should_hear(False, "Step 3 is wrong")
	assert not owner_should_hear(False, "   ")
	assert not owner_should_hear(True, "Great")


def test_outdated_or_incorrect_votes_send_the_article_back_to_review_at_the_threshold():
	votes = ["Outdated", "Unclear", "Incorrect", None]
	assert not calls_for_review(votes, 3)
	assert calls_for_review([*votes, "Outdated"], 3)
	assert not calls_for_review(["Outdated"] * 10, 0)

from datetime import date, datetime

import pytest

from km_crm import constants as C
from km_crm.knowledge import lifecycle as lc
from km_crm.knowledge.lifecycle import TransitionError, next_status

EXPECTED = {
	("Draft", "submit"): "In Review",
	("Needs Review", "submit"): "In Review",
	("In Review", "approve"): "Published",
	("In Review", "request_changes"): "Draft",
	("In Review", "reject"): "Draft",
	("In Review", "withdraw"): "Draft",
	("In Review", "expire"): "In Review",
	("Draft", "publish"): "Published",
	("Published", "edit"): "Draft",
	("Needs Review", "edit"): "Draft",
	("Published", "mark_review_due"): "Needs Review",
	("Published", "retire"): "Archived",
	("Needs Review", "retire"): "Archived",
	("Archived", "restore"): "Draft",
}

FORBIDDEN = [
	(status, action) for status in lc.STATUSES for action in lc.ACTIONS if (status, action) not in EXPECTED
]


def test_statuses_are_the_five_article_states():
	assert lc.STATUSES == ("Draft", "In Review", "Published", "Needs Review", "Archived")


@pytest.mark.parametrize(("current", "action"), sorted(EXPECTED))
def test_allowed_transition(current, action):
	assert next_status(current, action) == EXPECTED[(current, action)]


@pytest.mark.parametrize(("current", "action"), FORBIDDEN)
def test_forbidden_transition_raises(current, action):
	with pytest.raises(TransitionError) as info:
		next_status(current, action)
	assert current in info.value.message
	assert info.value.code == "transition_not_allowed"


def test_forbidden_message_reads_as_english():
	with pytest.raises(TransitionError) as info:
		next_status("Archived", "submit")
	assert info.value.message == "Cannot submit for review an article that is Archived"
	assert str(info.value) == info.value.message
	assert isinstance(info.value, ValueError)


def test_there_are_exactly_the_expected_forbidden_pairs():
	assert len(FORBIDDEN) == len(lc.STATUSES) * len(lc.ACTIONS) - len(EXPECTED)


def test_unknown_status_and_action():
	with pytest.raises(TransitionError) as info:
		next_status("Published!", "edit")
	assert info.value.code == "unknown_status"
	with pytest.raises(TransitionError) as info:
		next_status("Draft", "teleport")
	assert info.value.code == "unknown_action"
	with pytest.raises(TransitionError):
		next_status("Nope", "submit")


def allowed_actions(status: str) -> tuple[str, ...]:
	return tuple(action for action in lc.ACTIONS if lc.can_transition(status, action))


def test_allowed_actions_match_transition_table():
	assert allowed_actions("Draft") == ("submit", "publish")
	assert allowed_actions("In Review") == ("approve", "request_changes", "reject", "withdraw", "expire")
	assert allowed_actions("Published") == ("edit", "mark_review_due", "retire")
	assert allowed_actions("Needs Review") == ("submit", "edit", "retire")
	assert allowed_actions("Archived") == ("restore",)
	for status in lc.STATUSES:
		for action in allowed_actions(status):
			next_status(status, action)  # never raises


def test_archived_article_cannot_be_published_or_edited():
	for action in ("publish", "edit", "approve", "submit"):
		with pytest.raises(TransitionError):
			next_status("Archived", action)


def test_review_outcome_maps_to_article_action():
	assert next_status("In Review", lc.action_for_review_outcome("Approved")) == "Published"
	assert next_status("In Review", lc.action_for_review_outcome("Changes Requested")) == "Draft"
	assert next_status("In Review", lc.action_for_review_outcome("Rejected")) == "Draft"
	assert next_status("In Review", lc.action_for_review_outcome("Expired")) == "In Review"
	assert next_status("In Review", lc.action_for_review_outcome("Cancelled")) == "Draft"
	assert lc.action_for_review_outcome("Open") is None


# --- policy ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
	("audience", "roles", "expected"),
	[
		("Internal", {"KM Publisher"}, True),
		("Internal", {"KM Manager"}, True),
		("Customer", {"KM Publisher"}, False),
		("Public", {"KM Manager"}, False),
		("Internal", {"KM Contributor"}, False),
		("Internal", {"KM Coach"}, False),
		("Internal", {"KM Candidate"}, False),
		("Internal", {"KM Candidate", "KM Publisher"}, False),
		("Internal", set(), False),
	],
)
def test_can_publish_directly(audience, roles, expected):
	assert lc.can_publish_directly(audience, roles, {"Internal"}) is expected


def test_direct_audiences_are_configurable():
	assert lc.can_publish_directly("Partner", {"KM Publisher"}, {"Internal", "Partner"})
	assert not lc.can_publish_directly("Internal", {"KM Publisher"}, set())


@pytest.mark.parametrize(
	("status", "has_published", "live"),
	[
		("Published", False, True),
		("Needs Review", False, True),
		("Draft", False, False),
		("Draft", True, True),
		("In Review", False, False),
		("In Review", True, True),
		("Archived", True, False),
		("Archived", False, False),
	],
)
def test_is_live(status, has_published, live):
	assert lc.is_live(status, has_published) is live


def test_review_due_and_expired_include_the_day_itself():
	today = date(2024, 5, 10)
	assert lc.review_due(date(2024, 5, 10), today)
	assert lc.review_due("2024-05-01", today)
	assert not lc.review_due(date(2024, 5, 11), today)
	assert not lc.review_due(None, today)
	assert not lc.review_due("", today)
	assert lc.expired(datetime(2024, 5, 10, 23, 0), today)
	assert not lc.expired(date(2024, 5, 11), today)
	assert not lc.expired(None, today)


def test_can_submit():
	for role in (
		"KM Candidate",
		"KM Contributor",
		"KM Publisher",
		"KM Coach",
		"KM Manager",
		"System Manager",
	):
		assert lc.can_submit({role, "Employee"})
	assert not lc.can_submit({"Employee", "Customer"})
	assert not lc.can_submit(set())


def test_the_live_article_query_agrees_with_is_live_on_every_reachable_state():
	"""live_article_filters() is is_live() as a query (published version set, not archived)."""
	filters = lc.live_article_filters()
	reachable = [
		(C.PUBLISHED, True),
		(C.NEEDS_REVIEW, True),
		(C.DRAFT, True),
		(C.DRAFT, False),
		(C.IN_REVIEW, True),
		(C.IN_REVIEW, False),
		(C.ARCHIVED, False),
	]
	for status, has_version in reachable:
		matches = has_version and status != filters["status"][1]
		assert filters["published_version"] == ("is", "set")
		assert matches == lc.is_live(status, has_version), (status, has_version)

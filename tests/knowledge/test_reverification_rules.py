from datetime import datetime, timedelta

from km_crm.knowledge import reverification_rules as R

NOW = datetime(2026, 12, 6, 9, 0)


def days_ago(n: float) -> datetime:
	return NOW - timedelta(days=n)


def test_a_window_never_starts_before_the_last_publication():
	assert R.since(NOW, 30, None) == days_ago(30)
	assert R.since(NOW, 30, days_ago(90)) == days_ago(30)
	assert R.since(NOW, 30, days_ago(3)) == days_ago(3)


def test_a_reopen_is_a_resolved_ticket_going_back_to_open():
	assert R.is_reopen(True, False)
	assert not R.is_reopen(True, True)  # Resolved -> Closed
	assert not R.is_reopen(False, False)
	assert not R.is_reopen(False, True)


def test_reopened_tickets_call_for_review_at_the_threshold_and_name_them():
	assert R.reopened_tickets(["ISS-1"], 2, 30) is None
	assert R.reopened_tickets(["ISS-1", "ISS-1"], 2, 30) is None  # one ticket reopened twice
	found = R.reopened_tickets(["ISS-1", "ISS-2", "ISS-3"], 2, 30)
	assert found.text == "3 tickets solved by this article were reopened in 30 days: ISS-1, ISS-2, ISS-3"
	assert found.trigger == R.TRIGGER_REOPENED
	assert R.reopened_tickets(["ISS-9"], 1, 7).text == (
		"A ticket solved by this article was reopened in 7 days: ISS-9"
	)
	assert R.reopened_tickets(["ISS-1", "ISS-2"], 0, 30) is None  # 0: never


def test_a_long_list_of_tickets_is_cut_short():
	tickets = [f"ISS-{i}" for i in range(15)]
	named, more = R.name_tickets(tickets)
	assert named.split(", ") == [*tickets[:10], "…"] and more == 5
	assert R.reopened_tickets(tickets, 2, 30).facts["more"] == 5


def test_item_changes_that_articles_hear_of():
	assert R.item_changes(None, {"variant_of": "PRINTER"}) == [R.ITEM_NEW_VARIANT]
	assert R.item_changes(None, {"variant_of": None}) == []
	before = {"disabled": 0, "description": "<p>Laser printer, 20 ppm</p>"}
	assert R.item_changes(before, {**before, "disabled": 1}) == [R.ITEM_DISABLED]
	assert R.item_changes({**before, "disabled": 1}, {**before, "disabled": 1}) == []
	assert R.item_changes({**before, "disabled": 1}, before) == []  # enabled again: nothing to check
	assert R.item_changes(before, {**before, "description": "<p>Laser printer, 30 ppm</p>"}) == [
		R.ITEM_DESCRIPTION
	]
	# the editor rewrote the markup, the text is the same
	assert R.item_changes(before, {**before, "description": "<div>Laser printer, 20 ppm</div>"}) == []


def test_item_reasons_say_what_happened_to_which_item():
	assert R.item_evidence("PRN-1", R.ITEM_DISABLED).text == "Item PRN-1 was disabled"
	assert R.item_evidence("PRN-1", R.ITEM_DESCRIPTION).text == "The description of Item PRN-1 was edited"
	assert R.item_evidence("PRN", R.ITEM_NEW_VARIANT, "PRN-RED").text == "Item PRN has a new variant: PRN-RED"


def test_readers_are_the_largest_count_we_know_never_fewer_than_the_voters():
	assert R.readers(page_views=40, opened=12, voters=9) == 40
	assert R.readers(page_views=0, opened=12, voters=9) == 12
	assert R.readers(page_views=0, opened=0, voters=9) == 9


def test_did_not_solve_calls_for_review_above_the_share_once_there_are_enough_readers():
	found = R.not_solved(12, 31, 30, 20)
	assert found.text == "12 of 31 readers (39%) said it did not solve their problem"
	assert R.not_solved(2, 3, 30, 20) is None  # two votes among three readers are not evidence
	assert R.not_solved(5, 20, 30, 20) is None  # 25%
	assert R.not_solved(6, 20, 30, 20).values["percent"] == 30  # at the share
	assert R.not_solved(6, 20, 0, 20) is None  # 0%: never
	assert R.not_solved(0, 50, 30, 0) is None


def test_percent_rounds_halves_up():
	assert R.percent(12, 31) == 39
	assert R.percent(1, 8) == 13  # 12.5
	assert R.percent(1, 3) == 33
	assert R.percent(3, 0) == 0


def links(**kw):
	args = {
		"solved_before": 4,
		"solved_in_window": 0,
		"category_solved_in_window": 14,
		"live_since": days_ago(200),
		"now": NOW,
		"days": 90,
		"category_threshold": 5,
	}
	return R.links_stopped(**{**args, **kw})


def test_ticket_links_stopping_while_the_category_keeps_solving_calls_for_review():
	assert links().text == "No ticket solved with it in 90 days while 14 tickets of its category were"
	assert links(solved_in_window=1) is None
	assert links(solved_before=0) is None  # it never solved a ticket: nothing stopped
	assert links(category_solved_in_window=4) is None  # the category is quiet too
	assert links(live_since=days_ago(60)) is None  # published again 60 days ago: the days start over
	assert links(live_since=None) is not None
	assert links(days=0) is None

import pytest

from km_crm.roi.calc import (
	Resolved,
	assisted_ticket_cost,
	deflection_value,
	mean,
	mean_interval,
	resolution_value,
	roi,
	t95,
	time_saved,
	total,
)


def test_the_assisted_ticket_cost_is_given_or_hourly_cost_times_handling_time():
	assert assisted_ticket_cost(25.0, 40.0, 2.0) == 25.0  # a given cost wins
	assert assisted_ticket_cost(None, 40.0, 0.5) == 20.0
	assert assisted_ticket_cost(None, 40.0, None) is None  # missing: no figure, not zero
	assert assisted_ticket_cost(0, None, 3) is None


def test_deflections_save_a_ticket_less_the_self_service_cost_potential_ones_at_their_weight():
	assert deflection_value(3, 4, 20.0, 2.0, 0.5) == (3 + 2) * 18.0
	assert deflection_value(0, 0, 20.0, 2.0, 0.5) == 0.0
	assert deflection_value(1, 1, 20.0, None, 1.5) == 2 * 20.0  # weight capped at 1
	assert deflection_value(5, 5, None) is None  # no ticket cost: no money figure


def ticket(name, hours, group=("Bug", "High", "2026-11"), with_article=False):
	return Resolved(name, group, hours, with_article)


def test_time_saved_compares_each_ticket_with_its_own_group_and_gives_an_interval():
	pool = [
		ticket("c1", 10),
		ticket("c2", 14),
		ticket("c3", 6, ("Bug", "Low", "2026-11")),
		ticket("c4", 8, ("Bug", "Low", "2026-11")),
	]
	solved = [
		ticket("a1", 4, with_article=True),
		ticket("a2", 8, with_article=True),
		ticket("a3", 5, ("Bug", "Low", "2026-11"), True),
	]
	saved = time_saved(solved, pool + solved)
	# baselines: High 12 h (c1, c2), Low 7 h (c3, c4); savings 8, 4, 2
	assert saved.hours_per_ticket == pytest.approx(14 / 3)
	assert (saved.tickets, saved.comparable, saved.without_comparison) == (3, 4, 0)
	sd = ((8 - 14 / 3) ** 2 + (4 - 14 / 3) ** 2 + (2 - 14 / 3) ** 2) ** 0.5 / 2**0.5
	assert saved.low == pytest.approx(14 / 3 - 4.303 * sd / 3**0.5)
	assert saved.high == pytest.approx(14 / 3 + 4.303 * sd / 3**0.5)


def test_one_ticket_gives_a_saving_without_an_interval_and_none_gives_nothing():
	pool = [ticket("c1", 10), ticket("c2", 14)]
	one = time_saved([ticket("a1", 4, with_article=True)], pool)
	assert (one.hours_per_ticket, one.low, one.high, one.tickets) == (8.0, None, None, 1)
	none = time_saved([], pool)
	assert (none.hours_per_ticket, none.tickets, none.comparable) == (None, 0, 0)
	assert resolution_value(none, 40.0) is None


def test_tickets_without_enough_comparable_tickets_are_left_out_and_counted():
	pool = [ticket("c1", 10)]  # one comparable ticket is not enough
	saved = time_saved([ticket("a1", 4, with_article=True)], pool)
	assert (saved.hours_per_ticket, saved.without_comparison) == (None, 1)


def test_tickets_with_an_article_are_never_their_own_baseline():
	pool = [
		ticket("a1", 1, with_article=True),
		ticket("a2", 1, with_article=True),
		ticket("c1", 5),
		ticket("c2", 7),
	]
	assert time_saved([ticket("a1", 1, with_article=True)], pool).hours_per_ticket == 5.0


def test_the_time_saved_is_worth_its_share_of_the_ticket_cost():
	pool = [ticket("c1", 10), ticket("c2", 10)]
	saved = time_saved([ticket("a1", 4, with_article=True), ticket("a2", 6, with_article=True)], pool)
	assert (saved.hours_per_ticket, saved.baseline_hours) == (5.0, 10.0)
	assert resolution_value(saved, 30.0) == pytest.approx(2 * 30.0 * 0.5)
	assert resolution_value(saved, None) is None  # no ticket cost: no money figure
	slower = time_saved([ticket("a1", 40, with_article=True)], pool)
	assert resolution_value(slower, 30.0) == -30.0  # slower tickets cost, at most a ticket each


def test_roi_needs_costs_and_savings():
	assert roi(1500.0, 1000.0) == 0.5
	assert roi(500.0, 1000.0) == -0.5
	assert roi(1500.0, 0) is None
	assert roi(None, 1000.0) is None
	assert total([10.0, None, 5.0]) == 15.0
	assert total([]) == 0


def test_t_quantiles_and_intervals():
	assert t95(1) == 12.706 and t95(11) == 2.228 and t95(1000) == 1.96
	with pytest.raises(ValueError):
		t95(0)
	assert mean_interval([3.0]) == (None, None)
	low, high = mean_interval([2.0, 4.0])
	assert low == pytest.approx(3 - 12.706 * 2**0.5 / 2**0.5) and high == pytest.approx(3 + 12.706)


def test_measured_handling_hours_are_the_mean_and_none_without_any():
	assert mean([1.5, 0.5]) == 1.0
	assert mean([]) is None
	assert assisted_ticket_cost(None, 40, mean([1.5, 0.5])) == 40.0

from datetime import datetime, timedelta

from km_crm import constants as C
from km_crm.roi.kcs_metrics import (
	ClosedTicket,
	PublishedArticle,
	hours_to_publish,
	link_rate,
	new_and_known,
	participants,
	participation,
	published_within_a_day,
	reuse_and_create,
	reuse_buckets,
	time_to_publish,
)

T = datetime(2026, 11, 10, 9, 0)


def day(n: float) -> datetime:
	return T + timedelta(days=n)


TICKETS = [
	ClosedTicket("t1", day(0), ((C.LINK_SOLVED, "KB-1", day(-30)),)),  # known
	ClosedTicket("t2", day(1), ((C.LINK_CREATED_FROM, "KB-2", day(3)),)),  # new, created
	ClosedTicket("t3", day(2), ((C.LINK_REFERENCED, "KB-3", day(5)),)),  # new: published after it opened
	ClosedTicket("t4", day(3)),  # no link
]


def test_link_rate_is_tickets_with_a_link_over_closed_tickets():
	assert link_rate(TICKETS) == 3 / 4
	assert link_rate([]) is None  # no closed tickets: no rate, not zero
	assert link_rate([ClosedTicket("t", T)]) == 0.0


def test_reuse_against_create_and_new_against_known():
	assert reuse_and_create(TICKETS) == (2, 1)
	assert new_and_known(TICKETS) == (2, 1)
	both = ClosedTicket(
		"t5", day(4), ((C.LINK_CREATED_FROM, "KB-9", day(5)), (C.LINK_SOLVED, "KB-1", day(-30)))
	)
	assert reuse_and_create([both]) == (1, 1)
	assert new_and_known([both]) == (0, 1)  # an existing article solved it


def test_participation_counts_agents_only():
	assert participation(["a", "b", "outsider"], ["a", "b", "c", "d"]) == 0.5
	assert participants(["a", "b", "outsider"], ["a", "b", "c", "d"]) == (2, 4)  # "2 of 4 agents"
	assert participation(["a"], []) is None


def test_time_to_publish_runs_from_the_submission_or_the_draft():
	reviewed = PublishedArticle("KB-1", draft_on=day(0), published_on=day(2), submitted_on=day(1.5))
	direct = PublishedArticle("KB-2", draft_on=day(0), published_on=day(3))  # no review: from the draft
	assert hours_to_publish(reviewed) == 12.0
	assert hours_to_publish(direct) == 72.0
	quick = PublishedArticle("KB-3", draft_on=day(0), published_on=day(0.5))
	assert time_to_publish([reviewed, direct, quick]) == (12.0, 2 / 3)
	assert published_within_a_day([reviewed, direct, quick]) == 2
	assert time_to_publish([reviewed, direct]) == (42.0, 0.5)
	assert time_to_publish([]) == (None, None)
	slow_review = PublishedArticle("KB-4", draft_on=day(0), published_on=day(4), submitted_on=day(1))
	assert hours_to_publish(slow_review) == 72.0  # the committee's three days, not the drafting
	assert published_within_a_day([slow_review]) == 0


def test_articles_by_reuse():
	assert reuse_buckets([0, 0, 1, 2, 3, 10]) == {"often": 2, "rarely": 2, "never": 2}
	assert reuse_buckets([]) == {"often": 0, "rarely": 0, "never": 0}


def test_every_definition_on_the_report_is_translated():
	import csv
	from pathlib import Path

	from km_crm.knowledge.deflection_rules import self_service_rate

	csv_path = Path(__file__).parents[2] / "km_crm" / "translations" / "zh.csv"
	sources = {row[0] for row in csv.reader(csv_path.open(encoding="utf-8")) if row}
	formulas = (link_rate, reuse_and_create, new_and_known, participation, hours_to_publish, time_to_publish)
	for formula in (*formulas, reuse_buckets, self_service_rate):
		definition = " ".join(formula.__doc__.split())
		assert definition in sources, definition

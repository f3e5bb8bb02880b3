"""KCS health metrics (pure: no Frappe). Each function's docstring is the definition the KCS Metrics
report prints beside the figure.

Inputs are plain records the report reads from the site:
* ClosedTicket: a resolved or closed ticket of the period, when it was opened, and its article links
  as (link type, article, when the article was first published or None);
* PublishedArticle: an article first published in the period, when its draft began, and when it was
  first submitted for review (None when a publisher published it directly);
* reuse counts of the live articles, and the people who linked or wrote against the agents;
* ticket links of the period as (link type, linked by, the article's owner), for citation;
* the verdicts of the coaches' link checks completed in the period, for link accuracy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from km_crm import constants as C
from km_crm.knowledge.reuse_rules import by_another_agent

OFTEN = 3  # reused on this many tickets or more: "used often"
DAY_HOURS = 24


@dataclass(frozen=True)
class ClosedTicket:
	ticket: str
	opened_on: datetime
	links: tuple[tuple[str, str, datetime | None], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PublishedArticle:
	article: str
	draft_on: datetime
	published_on: datetime
	submitted_on: datetime | None = None


def ratio(part: int, whole: int) -> float | None:
	return part / whole if whole else None


def link_rate(tickets: Sequence[ClosedTicket]) -> float | None:
	"""Link rate: closed tickets with at least one linked article / closed tickets."""
	return ratio(sum(1 for t in tickets if t.links), len(tickets))


def reuse_and_create(tickets: Iterable[ClosedTicket]) -> tuple[int, int]:
	"""Reuse against create: tickets linked to an article that solved or was referenced on them
	(reuse), and tickets an article was created from (create)."""
	reuse = create = 0
	for t in tickets:
		types = {link_type for link_type, _article, _published in t.links}
		reuse += bool(types & {C.LINK_SOLVED, C.LINK_REFERENCED})
		create += C.LINK_CREATED_FROM in types
	return reuse, create


def new_and_known(tickets: Iterable[ClosedTicket]) -> tuple[int, int]:
	"""New against known: a ticket is "known" when an article published before the ticket was opened
	is linked to it; "new" when it needed new knowledge (an article created from it, or published only
	after it was opened). Tickets without links count as neither."""
	new = known = 0
	for t in tickets:
		if not t.links:
			continue
		if any(
			link_type != C.LINK_CREATED_FROM and published and published <= t.opened_on
			for link_type, _article, published in t.links
		):
			known += 1
		else:
			new += 1
	return new, known


def participation(contributors: Iterable[str], agents: Iterable[str]) -> float | None:
	"""Participation: agents who linked an article to a ticket or wrote one in the period / agents."""
	taking_part, of = participants(contributors, agents)
	return ratio(taking_part, of)


def participants(contributors: Iterable[str], agents: Iterable[str]) -> tuple[int, int]:
	# (agents who took part, agents): "2 of 7 agents"
	agents = set(agents)
	return len(set(contributors) & agents), len(agents)


def hours_to_publish(article: PublishedArticle) -> float:
	"""Time to publish: from the article's first submission for review (or, when a publisher
	published it directly, from the start of its draft) to its first publication, in hours."""
	start = article.submitted_on or article.draft_on
	return max(0.0, (article.published_on - start).total_seconds() / 3600)


def time_to_publish(articles: Sequence[PublishedArticle]) -> tuple[float | None, float | None]:
	"""Published within a day: articles first published in the period within 24 hours of their
	submission (or draft) / articles first published in the period."""
	# returns (median hours to publish, that share)
	hours = sorted(hours_to_publish(a) for a in articles)
	if not hours:
		return None, None
	mid = len(hours) // 2
	median = hours[mid] if len(hours) % 2 else (hours[mid - 1] + hours[mid]) / 2
	return median, ratio(published_within_a_day(articles), len(hours))


def published_within_a_day(articles: Iterable[PublishedArticle]) -> int:
	# how many went live within DAY_HOURS of their start
	return sum(1 for a in articles if hours_to_publish(a) <= DAY_HOURS)


def reuse_buckets(reuse_counts: Iterable[int]) -> dict[str, int]:
	"""Articles by reuse: live articles linked to tickets three times or more ("often"), once or twice
	("rarely"), or never."""
	buckets = {"often": 0, "rarely": 0, "never": 0}
	for count in reuse_counts:
		buckets["often" if count >= OFTEN else "rarely" if count > 0 else "never"] += 1
	return buckets


def citation(links: Iterable[tuple[str, str | None, str | None]]) -> dict[str, int]:
	"""Citation: per person, how often others reused their articles in the period (ticket links that
	solved or referenced a ticket, made by someone other than the article's owner)."""
	# {owner: links by others} from (link type, linked by, article owner); most cited first
	counts: dict[str, int] = {}
	for link_type, linked_by, owner in links:
		if owner and by_another_agent(link_type, linked_by, owner):
			counts[owner] = counts.get(owner, 0) + 1
	return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def link_accuracy(verdicts: Iterable[str | None]) -> float | None:
	"""Link accuracy: ticket links a KM Coach checked and found right / links checked in the period
	(each month a sample of every agent's links of the month before)."""
	right, checked = links_checked(verdicts)
	return ratio(right, checked)


def links_checked(verdicts: Iterable[str | None]) -> tuple[int, int]:
	# (found right, checked): "9 of 10 links right"; a check without a verdict is not done
	done = [v for v in verdicts if v in C.LINK_VERDICTS]
	return sum(1 for v in done if v == C.LINK_RIGHT), len(done)

"""Return on knowledge: the formulas behind every ROI figure km_crm shows (pure: no Frappe).

The reports call these and nothing else computes money, so what a manager reads and what is tested
here are the same numbers.

* Cost of an assisted ticket: given, or the agent's hourly cost x the average handling hours (given, or
  measured from the time logged on tickets: km_crm.roi.site_figures).
* A deflection saves an assisted ticket less the cost of the self-service session; a potential
  deflection counts at the configured weight (a confirmed one in full).
* Resolution time saved by an article: each ticket solved with it is compared with the mean
  resolution time of comparable tickets solved without any article (same ticket type, same priority,
  same month); the saving is the mean of those differences, with a 95% interval (Student's t).
  Tickets with fewer than MIN_COMPARABLE comparable tickets are left out and counted. In money, the
  handling cost of a ticket is taken to follow its resolution time: the saving is worth the
  article's tickets x the assisted ticket cost x (hours saved / comparable hours).
* ROI = (savings - costs) / costs, none when there are no costs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_COMPARABLE = 2  # comparable tickets needed before a ticket's saving is estimated
#: two-sided 95% Student's t quantiles by degrees of freedom (beyond the table: the normal's 1.96)
T95 = {
	1: 12.706,
	2: 4.303,
	3: 3.182,
	4: 2.776,
	5: 2.571,
	6: 2.447,
	7: 2.365,
	8: 2.306,
	9: 2.262,
	10: 2.228,
	12: 2.179,
	15: 2.131,
	20: 2.086,
	25: 2.060,
	30: 2.042,
	40: 2.021,
	60: 2.000,
	120: 1.980,
}


def assisted_ticket_cost(
	given: float | None, hourly_cost: float | None, handling_hours: float | None
) -> float | None:
	"""The cost of one ticket an agent handles; None when neither way can be computed."""
	if given:
		return float(given)
	if hourly_cost and handling_hours:
		return float(hourly_cost) * float(handling_hours)
	return None


def deflection_value(
	confirmed: int,
	potential: int,
	ticket_cost: float | None,
	self_service_cost: float | None = 0.0,
	potential_weight: float = 1.0,
) -> float | None:
	"""What deflections saved: (confirmed + potential x weight) x (ticket cost - self-service cost)."""
	if ticket_cost is None:
		return None
	per_deflection = ticket_cost - (self_service_cost or 0.0)
	return (confirmed + potential * max(0.0, min(1.0, potential_weight))) * per_deflection


def mean(values: Sequence[float]) -> float | None:
	"""The mean; None for no values."""
	return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Resolved:
	"""A resolved ticket: its comparison group and hours from opening to resolution."""

	ticket: str
	group: tuple  # (ticket type, priority, month) - tickets are compared within their group
	hours: float
	with_article: bool


@dataclass(frozen=True)
class TimeSaved:
	hours_per_ticket: float | None  # mean of (comparable mean - this ticket), None without data
	baseline_hours: float | None  # mean resolution hours of the comparable tickets, per ticket
	low: float | None  # 95% interval of that mean
	high: float | None
	tickets: int  # tickets of the article that were compared
	comparable: int  # distinct comparable tickets (without an article) used
	without_comparison: int  # tickets of the article left out: too few comparable tickets


def time_saved(article_tickets: Iterable[Resolved], pool: Iterable[Resolved]) -> TimeSaved:
	"""Hours an article saved per ticket, against tickets of `pool` without an article."""
	groups: dict[tuple, list[Resolved]] = {}
	for t in pool:
		if not t.with_article:
			groups.setdefault(t.group, []).append(t)
	savings, baselines, used, left_out = [], [], set(), 0
	for t in article_tickets:
		peers = groups.get(t.group, [])
		if len(peers) < MIN_COMPARABLE:
			left_out += 1
			continue
		baseline = sum(p.hours for p in peers) / len(peers)
		baselines.append(baseline)
		savings.append(baseline - t.hours)
		used.update(p.ticket for p in peers)
	if not savings:
		return TimeSaved(None, None, None, None, 0, 0, left_out)
	mean = sum(savings) / len(savings)
	low, high = mean_interval(savings)
	return TimeSaved(mean, sum(baselines) / len(baselines), low, high, len(savings), len(used), left_out)


def mean_interval(values: Sequence[float]) -> tuple[float | None, float | None]:
	"""95% interval of the mean of `values` (Student's t); none for a single value."""
	n = len(values)
	if n < 2:
		return None, None
	mean = sum(values) / n
	sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
	half = t95(n - 1) * sd / math.sqrt(n)
	return mean - half, mean + half


def t95(df: int) -> float:
	"""The 95% two-sided t quantile for `df`, from the table (the nearest smaller tabled df)."""
	if df <= 0:
		raise ValueError("degrees of freedom must be positive")
	if df > max(T95):
		return 1.96
	return T95[max(k for k in T95 if k <= df)]


def resolution_value(saved: TimeSaved, ticket_cost: float | None) -> float | None:
	"""The money the article's time saving is worth: tickets x ticket cost x the share of the
	comparable resolution time saved (between -1 and 1: never more than the ticket cost)."""
	if saved.hours_per_ticket is None or not saved.baseline_hours or ticket_cost is None:
		return None
	share = max(-1.0, min(1.0, saved.hours_per_ticket / saved.baseline_hours))
	return saved.tickets * float(ticket_cost) * share


def roi(savings: float | None, costs: float | None) -> float | None:
	"""(savings - costs) / costs; None when there are no costs to set it against."""
	if savings is None or not costs:
		return None
	return (savings - costs) / costs


def total(values: Iterable[float | None]) -> float:
	"""Sum of the known values (a missing figure counts as nothing, never as an error)."""
	return sum(v for v in values if v is not None)

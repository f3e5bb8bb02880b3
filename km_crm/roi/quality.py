"""Content standard sampling (KCS): the score of a quality check, the monthly sample of each
contributor's published versions, and the score trend (pure: no Frappe)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

#: the content standard every check asks, in the order the form shows it
STANDARD = ("title_in_customer_words", "environment_complete", "resolution_testable", "no_personal_data")
DEFAULT_SAMPLE = 2  # versions per contributor and month


def score(standard: Mapping[str, bool], extra: Sequence[bool] = ()) -> float:
	"""Share of the criteria met, in percent: the four of the standard plus what the coach added."""
	met = [bool(standard.get(c)) for c in STANDARD] + [bool(m) for m in extra]
	return round(100 * sum(met) / len(met), 1)


def choose_sample(
	versions: Mapping[str, Sequence[str]], per_contributor: int, seed: str, already: Iterable[str] = ()
) -> dict[str, list[str]]:
	"""Per contributor, up to `per_contributor` of their versions not checked yet, chosen at random
	but the same for the same `seed` (the month), so a re-run picks the same ones."""
	done = set(already)
	chosen = {}
	for contributor in sorted(versions):
		pool = sorted(v for v in versions[contributor] if v not in done)
		if pool:
			rng = random.Random(f"{seed}:{contributor}")
			chosen[contributor] = sorted(rng.sample(pool, min(per_contributor, len(pool))))
	return chosen


def trend(checks: Iterable[tuple[str, str, float]]) -> dict[str, list[tuple[str, float, int]]]:
	"""{contributor: [(month, average score, checks), ...] by month} from (contributor, month, score)."""
	groups: dict[tuple[str, str], list[float]] = defaultdict(list)
	for contributor, month, value in checks:
		groups[(contributor, month)].append(value)
	out: dict[str, list[tuple[str, float, int]]] = defaultdict(list)
	for (contributor, month), values in sorted(groups.items()):
		out[contributor].append((month, round(sum(values) / len(values), 1), len(values)))
	return dict(out)


def coach_for(index: int, coaches: Sequence[str]) -> str | None:
	"""Round robin over the coaches (None when there is none)."""
	return coaches[index % len(coaches)] if coaches else None

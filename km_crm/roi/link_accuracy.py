"""Link accuracy sampling (KCS): each month, a few of every agent's ticket links of the month before
go to a KM Coach who may read the article, to be marked right or wrong (pure: no Frappe)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from km_crm.roi import quality

DEFAULT_SAMPLE = 3  # links per agent and month


def choose_links(
	links: Mapping[str, Sequence[str]], per_agent: int, seed: str, already: Iterable[str] = ()
) -> dict[str, list[str]]:
	"""Per agent, up to `per_agent` of their links not checked yet, chosen at random but the same for
	the same `seed` (the month), so a re-run picks the same ones."""
	return quality.choose_sample(links, per_agent, seed, already)


def coach_for(
	index: int, agent: str, article: str, coaches: Sequence[str], may_read: Callable[[str, str], bool]
) -> str | None:
	"""Round robin over the coaches who may read the article, never the agent who made the link
	(None when nobody may check it)."""
	eligible = [c for c in coaches if c != agent and may_read(c, article)]
	return eligible[index % len(eligible)] if eligible else None

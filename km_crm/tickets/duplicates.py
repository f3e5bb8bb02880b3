"""Search before you create (KCS): which live articles are close enough to a solved ticket that the
agent should link one instead of writing a new draft. Pure: no Frappe.

The ticket's suggestion query is searched as the ticket panel searches it; the results are close when

1. the best one scores at least MIN_SCORE (weaker matches share only a word or two with the ticket), and
2. each scores at least SHARE_OF_TOP of the best one (an article far behind the best is another topic);

at most MAX_CLOSE of them. Each says how far it leads the result after it ("score 35, 5x the next").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_SCORE = 8.0
SHARE_OF_TOP = 0.5
MAX_CLOSE = 3
SEARCHED = MAX_CLOSE + 1  # results to ask for: one more than shown, to say how far the last one leads


@dataclass(frozen=True)
class Close:
	article: str
	score: float
	lead: float | None  # times the next result's score; None when no result follows


def close_matches(scored: Sequence[tuple[str, float]]) -> list[Close]:
	"""The close ones of (article, score) search results, best first."""
	ranked = sorted(scored, key=lambda r: -r[1])
	if not ranked or ranked[0][1] < MIN_SCORE:
		return []
	floor = ranked[0][1] * SHARE_OF_TOP
	out = []
	for i, (article, score) in enumerate(ranked[:MAX_CLOSE]):
		if score < floor:
			break
		following = ranked[i + 1][1] if i + 1 < len(ranked) else None
		out.append(Close(article, score, score / following if following else None))
	return out


def number(value: float) -> str:
	"""A score or a ratio as people read it: 92, 8.3, 5 (not 5.0)."""
	rounded = round(value) if value >= 10 else round(value, 1)
	return f"{rounded:g}"

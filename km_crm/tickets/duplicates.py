"""Search before you create (KCS): which live articles are close enough to a solved ticket that the
agent should link one instead of writing a new draft. Pure: no Frappe.

The ticket's suggestion query is searched as the ticket panel searches it; the results are close when,
by their words (the word score, BM25),

1. the best one scores at least MIN_SCORE (weaker matches share only a word or two with the ticket), and
2. each scores at least SHARE_OF_TOP of the best one (an article far behind the best is another topic);

or, in a search by meaning, when an article's cosine with the ticket (hybrid.comparable_cosine) is at
least CLOSE_COSINE, whatever its words (the ticket in Chinese, the article in English). At most
MAX_CLOSE of them. Each says why: how far it leads the result after it ("score 35, 5x the next"), or
how near in meaning it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_SCORE = 8.0
SHARE_OF_TOP = 0.5
CLOSE_COSINE = 0.9  # a labelled answer's own-language cosine: median 0.91 on the insurance sets
MAX_CLOSE = 3
SEARCHED = MAX_CLOSE + 1  # results to ask for: one more than shown, to say how far the last one leads


@dataclass(frozen=True)
class Close:
	article: str
	score: float  # its word score
	lead: float | None  # times the next result's word score; None when no result follows
	meaning: float | None = None  # its cosine, when it is close by meaning only


def close_matches(scored: Sequence[tuple]) -> list[Close]:
	"""The close ones of (article, word score[, cosine]) search results, best first."""
	ranked = sorted(scored, key=lambda r: -r[1])
	out = []
	if ranked and ranked[0][1] >= MIN_SCORE:
		floor = ranked[0][1] * SHARE_OF_TOP
		for i, (article, score, *_cosine) in enumerate(ranked[:MAX_CLOSE]):
			if score < floor:
				break
			following = ranked[i + 1][1] if i + 1 < len(ranked) else None
			out.append(Close(article, score, score / following if following else None))
	by_words = {c.article for c in out}
	near = [r for r in scored if len(r) > 2 and r[2] is not None and r[2] >= CLOSE_COSINE]
	for article, score, cosine in sorted(near, key=lambda r: -r[2]):
		if article not in by_words and len(out) < MAX_CLOSE:
			out.append(Close(article, score, None, cosine))
	return out


def number(value: float) -> str:
	"""A score or a ratio as people read it: 92, 8.3, 5 (not 5.0)."""
	rounded = round(value) if value >= 10 else round(value, 1)
	return f"{rounded:g}"

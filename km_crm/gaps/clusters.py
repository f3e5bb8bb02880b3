"""Knowledge gaps from tickets, pure: which resolved tickets that no article solved form a group
about one problem, and whether a live article already covers a group.

Tickets are compared by their embeddings (search/embedding.py, query side: a ticket is a question),
so a Chinese and an English ticket about the same problem fall in one group. Grouping is by leaders:
the ticket with the most close neighbours leads a group of the not yet grouped tickets close to it
(at least GROUP_COSINE), then the next; a group does not chain through its members (a ticket left
alone joins the group of the member it is close to: one step, no further). A group is covered when
a live article answers at least half its tickets: as close as search needs to suggest it
(cover_cosine, per language) and the nearest article of most of the group, or a solved ticket about
the same problem (solved_twins). Thresholds are measured by benchmarks/gaps.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from km_crm.search.confidence import min_semantic_for

#: Two tickets about the same problem (query-to-query cosine of the embedding model)
GROUP_COSINE = 0.92
#: How much lower the cosine of one question asked in two languages may be (mutual nearest only)
CROSS_LANGUAGE_ALLOWANCE = 0.12
#: How much closer than the suggestion cut-off (search.confidence.MIN_SEMANTIC) an article must be
#: to a ticket to cover it. None: a group is a gap exactly when search would suggest no article for
#: most of its tickets (benchmarks/gaps.py --sweep shows what a margin trades)
COVER_MARGIN = 0.0
#: How much closer an article must be to cover a ticket when it is not the article most of the
#: group's tickets are nearest to (is_covered)
ALONE_MARGIN = 0.04
#: A solved ticket this close (same language) is the same problem: its article covers the ticket
TWIN_COSINE = GROUP_COSINE + 0.02
#: Tickets per group (the gap setting's default) and the look-back window
DEFAULT_MIN_TICKETS = 3
DEFAULT_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Group:
	members: tuple[int, ...]  # indexes into the tickets, the leader first
	leader: int


def group_tickets(
	vectors: np.ndarray,
	languages: Sequence[str | None] | None = None,
	min_cosine: float = GROUP_COSINE,
	cross_language_allowance: float = CROSS_LANGUAGE_ALLOWANCE,
) -> list[Group]:
	"""Groups of the tickets (rows of unit vectors, `languages` per row), largest first; every ticket
	is in one group. Two tickets in one language are close at `min_cosine`; a ticket in another
	language is close when each is the other's nearest ticket in that language and their cosine is
	within the allowance (the model puts two questions in one language nearer than one question in
	two languages, so a plain threshold would never pair a translation)."""
	n = len(vectors)
	if n == 0:
		return []
	vectors = np.asarray(vectors, dtype=np.float32)
	similarity = vectors @ vectors.T
	languages = np.asarray([x or "" for x in (languages or [""] * n)])
	same = languages[:, None] == languages[None, :]
	close = same & (similarity >= min_cosine)
	for language in set(languages.tolist()):
		mine, others = np.flatnonzero(languages == language), np.flatnonzero(languages != language)
		if not len(mine) or not len(others):
			continue
		for other in set(languages[others].tolist()):
			theirs = np.flatnonzero(languages == other)
			block = similarity[np.ix_(mine, theirs)]
			best_for_mine = block.argmax(axis=1)
			best_for_theirs = block.argmax(axis=0)
			for row, col in enumerate(best_for_mine):
				mutual = best_for_theirs[col] == row
				if mutual and block[row, col] >= min_cosine - cross_language_allowance:
					close[mine[row], theirs[col]] = close[theirs[col], mine[row]] = True
	degree = close.sum(axis=1)
	order = sorted(range(n), key=lambda i: (-int(degree[i]), i))
	grouped = np.zeros(n, dtype=bool)
	groups = []
	for leader in order:
		if grouped[leader]:
			continue
		members = [leader] + [int(j) for j in np.flatnonzero(close[leader] & ~grouped) if j != leader]
		grouped[members] = True
		groups.append(Group(tuple(members), leader))
	groups = _join_strays(groups, close, similarity)
	groups.sort(key=lambda g: (-len(g.members), g.leader))
	return groups


def _join_strays(groups: list[Group], close: np.ndarray, similarity: np.ndarray) -> list[Group]:
	"""A ticket left alone that is close to a member of a group (not to its leader: the same question
	again, the translation of a member) joins the group of the member nearest it."""
	grown = {g.leader: list(g.members) for g in groups if len(g.members) > 1}
	member_of = {m: g.leader for g in groups if len(g.members) > 1 for m in g.members}
	kept = []
	for g in groups:
		if len(g.members) == 1:
			ticket = g.members[0]
			near = [m for m in np.flatnonzero(close[ticket]) if int(m) in member_of]
			if near:
				best = max(near, key=lambda m: similarity[ticket, m])
				grown[member_of[int(best)]].append(ticket)
				continue
		kept.append(g)
	return [Group(tuple(grown[g.leader]), g.leader) if g.leader in grown else g for g in kept]


def cover_cosine(language: str | None) -> float:
	"""The cosine (hybrid.comparable_cosine: another language's article gets its allowance) at which a
	live article covers a ticket in this language."""
	return min_semantic_for(language or "") + COVER_MARGIN


def solved_twins(
	vectors: np.ndarray,
	languages: Sequence[str | None],
	solved: np.ndarray,
	solved_languages: Sequence[str | None],
	min_cosine: float = TWIN_COSINE,
) -> list[int | None]:
	"""For each ticket, the solved ticket (an agent linked a live article to it) about the same problem:
	the closest in its language at `min_cosine` or more (its index in `solved`), else None. A problem
	already solved with an article is covered, however far the article's words are from the ticket's."""
	if not len(vectors) or not len(solved):
		return [None] * len(vectors)
	similarity = np.asarray(vectors, dtype=np.float32) @ np.asarray(solved, dtype=np.float32).T
	same = (
		np.asarray([x or "" for x in languages])[:, None]
		== np.asarray([x or "" for x in solved_languages])[None, :]
	)
	similarity = np.where(same, similarity, -1.0)
	best = similarity.argmax(axis=1)
	return [int(j) if similarity[i, j] >= min_cosine else None for i, j in enumerate(best)]


def is_covered(
	nearest_cosines: Sequence[float],
	languages: Sequence[str | None],
	twins: Sequence[int | None] | None = None,
	nearest_articles: Sequence[str | None] | None = None,
) -> bool:
	"""Whether a live article covers a group. Per ticket i: `nearest_cosines[i]`, the cosine of the
	live article nearest it (`nearest_articles[i]`), as hybrid.comparable_cosine gives it (0 when
	none); `languages[i]`, its language; `twins[i]`, its solved twin (solved_twins) or None.

	A ticket is answered when it has a solved twin, or when search would suggest its nearest article
	(cover_cosine) and that article is the one most of the group's tickets are nearest to; an article
	nearest to this ticket alone must be ALONE_MARGIN closer (a neighbouring topic's article is close
	to each question of a gap, a different one for each; the answer is close to all of them). The
	group is covered when at least half its tickets are answered."""
	n = len(nearest_cosines)
	if not n:
		return False
	twins = twins or [None] * n
	articles = list(nearest_articles or [None] * n)
	shared = Counter(a for a in articles if a).most_common(1)
	common = shared[0][0] if shared and shared[0][1] >= 2 else None
	near = 0
	for cosine, language, twin, article in zip(nearest_cosines, languages, twins, articles, strict=True):
		needed = cover_cosine(language) + (0.0 if article and article == common else ALONE_MARGIN)
		if twin is not None or cosine >= needed:
			near += 1
	return 2 * near >= n


def most_common_text(texts: Sequence[str], key=None) -> str:
	"""The text most tickets of a group share (compared by `key`, e.g. a normalised form), the first
	one on a tie; '' when none."""
	texts = [t for t in texts if (t or "").strip()]
	if not texts:
		return ""
	key = key or (lambda t: " ".join(t.lower().split()))
	counts = Counter(key(t) for t in texts)
	best = max(counts.values())
	return next(t for t in texts if counts[key(t)] == best)


def same_gap(old_tickets: set[str], new_tickets: set[str]) -> bool:
	"""Whether a group found now is the gap already recorded (they share most of the smaller one)."""
	if not old_tickets or not new_tickets:
		return False
	shared = len(old_tickets & new_tickets)
	return 2 * shared >= min(len(old_tickets), len(new_tickets))

"""Expertise from the work (pure: no Frappe): who has really solved problems like this one.

Evidence is what people did, each piece dated and checkable: a ticket they resolved, an article
they wrote or published, an article of theirs that solved someone else's ticket, a review vote, a ticket they
resolved when asked as the expert. Each piece carries the analysed text of what it was about and
skill keys ("category:Billing", "ticket_type:Access", "item:SKU-1", "item_group:Routers").

* Inferred skills: per person and skill key, the sum of the evidence weights, each decayed by its
  age (half-life HALF_LIFE_DAYS), with how many pieces and the newest date.
* Finding an expert for a question (text and skill keys): the evidence most like the question (by
  BM25 over the analysed terms and, when search by meaning runs, by the cosine of the ticket's or
  article's vector and the question's, fused as search fuses them; the NEIGHBOURS best pieces)
  votes for its owner, weighted by kind and decay; matching skill keys add their inferred score. Then availability and load: a person
  away is left out, a busy one counts half, so does one who declared languages other than the
  question's, and the score shrinks with the share of their capacity in use (a person at capacity
  is listed last). Each suggestion says why, in figures.
* Declared skills are evidence too, of low weight; skills a person hides are not used to suggest
  them (the work behind them still counts as text evidence: hidden, not erased).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from km_crm.search.ranking import COSINE_FLOOR, COSINE_SPAN, VECTOR_ONLY_COSINE, WORD_WEIGHT

HALF_LIFE_DAYS = 90.0
RECENT_DAYS = 90  # "in the last 90 days" in explanations
NEIGHBOURS = 40  # evidence pieces most like the question that vote
SKILL_WEIGHT = 1.0  # a matching skill key against the text: both are shares of their votes
BUSY_FACTOR = 0.5
LOAD_WEIGHT = 0.75  # a person with all their capacity in use keeps a quarter of their score
LOAD_FLOOR = 0.1
K1, B = 1.2, 0.75

RESOLVED = "resolved"  # a ticket the person resolved (assigned to it when it closed)
ASKED = "asked"  # a ticket they resolved after being asked as the expert
AUTHORED = "authored"  # an article they own that went live
PUBLISHED = "published"  # an article someone else wrote that they published
SOLVED_WITH = "solved_with"  # their article solved someone else's ticket
VOTE = "vote"  # a review vote on an article
DECLARED = "declared"  # a skill the person declares on their profile (what it is about)
KIND_WEIGHT = {
	RESOLVED: 1.0,
	ASKED: 1.5,
	AUTHORED: 2.0,
	PUBLISHED: 0.5,
	SOLVED_WITH: 0.75,
	VOTE: 0.3,
	DECLARED: 0.5,
}
OTHER_LANGUAGE_FACTOR = 0.5  # someone who declared languages, none of them the question's

AVAILABLE, BUSY, AWAY = "Available", "Busy", "Away"


@dataclass(frozen=True)
class Evidence:
	user: str
	kind: str
	ref: str  # the ticket ("Issue/ISS-0001") or article it is about
	on: date
	terms: tuple[str, ...] = ()
	skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skill:
	key: str
	score: float
	pieces: int
	last: date


@dataclass(frozen=True)
class Person:
	"""What routing needs to know about someone now."""

	availability: str = AVAILABLE
	open_tickets: int = 0
	capacity: int = 0  # 0: no limit
	languages: tuple[str, ...] = ()  # declared ("en", "zh"); empty: any

	def speaks(self, language: str | None) -> bool:
		return not (language and self.languages) or language in {
			lang.split("-")[0] for lang in self.languages
		}


@dataclass
class Suggestion:
	user: str
	score: float
	text_score: float
	skill_score: float
	similar: list[Evidence] = field(default_factory=list)  # the pieces that voted, best first
	at_capacity: bool = False

	def reasons(self, today: date) -> dict:
		"""The figures an explanation line is made of: similar tickets resolved recently, articles."""
		recent = [
			e
			for e in self.similar
			if e.kind in (RESOLVED, ASKED) and (today - _day(e.on)).days <= RECENT_DAYS
		]
		articles = []
		for e in self.similar:
			if e.kind in (AUTHORED, SOLVED_WITH) and e.ref not in articles:
				articles.append(e.ref)
		return {
			"tickets": len({e.ref for e in recent}),
			"days": RECENT_DAYS,
			"articles": articles[:3],
			"evidence": [e.ref for e in self.similar[:5]],
		}


def _day(on: date | datetime) -> date:
	return on.date() if isinstance(on, datetime) else on


def decay(on: date | datetime, today: date, half_life: float = HALF_LIFE_DAYS) -> float:
	"""1 today, 0.5 after `half_life` days; evidence from the future counts as today's."""
	age = max(0, (today - _day(on)).days)
	return 0.5 ** (age / half_life)


def inferred_skills(evidence: Iterable[Evidence], today: date) -> dict[str, list[Skill]]:
	"""{user: their skills, strongest first}: decayed, weighted evidence per skill key."""
	totals: dict[tuple[str, str], list] = {}
	for e in evidence:
		w = KIND_WEIGHT.get(e.kind, 0.0) * decay(e.on, today)
		for key in set(e.skills):
			t = totals.setdefault((e.user, key), [0.0, 0, _day(e.on)])
			t[0] += w
			t[1] += 1
			t[2] = max(t[2], _day(e.on))
	out: dict[str, list[Skill]] = defaultdict(list)
	for (user, key), (score, pieces, last) in totals.items():
		out[user].append(Skill(key, round(score, 4), pieces, last))
	for skills in out.values():
		skills.sort(key=lambda s: (-s.score, s.key))
	return dict(out)


def fused(
	bm25: Sequence[tuple[float, int]], meaning: Mapping[str, float], pieces: Sequence[Evidence]
) -> list[tuple[float, int]]:
	"""Pieces by meaning and words, on search's scale (ranking.fuse): the cosine from COSINE_FLOOR,
	one unit per COSINE_SPAN, plus WORD_WEIGHT x the BM25 score over the best one. A piece with no
	cosine counts by its words; one the words did not find needs VECTOR_ONLY_COSINE."""
	words = {i: s for s, i in bm25}
	top = max(words.values(), default=0.0) or 1.0
	scored = []
	for i, piece in enumerate(pieces):
		cosine = meaning.get(piece.ref)
		word = words.get(i, 0.0) / top
		if cosine is None and not word:
			continue
		if not word and cosine < VECTOR_ONLY_COSINE:
			continue
		near = max(0.0, (cosine - COSINE_FLOOR) / COSINE_SPAN) if cosine is not None else 0.0
		scored.append((near + WORD_WEIGHT * word, i))
	return sorted(scored, key=lambda x: (-x[0], x[1]))


class ExpertIndex:
	"""The evidence of a site, ready to answer "who knows this" quickly."""

	def __init__(
		self, evidence: Iterable[Evidence], today: date, hidden: Mapping[str, Iterable[str]] | None = None
	):
		"""`hidden`: skill keys each person chose to hide; they are not used to suggest them."""
		self.today = today
		self.hidden = {user: set(keys) for user, keys in (hidden or {}).items()}
		self.pieces: list[Evidence] = []
		self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
		self.lengths: list[int] = []
		for e in evidence:
			self.add(e)
		self.refresh()

	def add(self, e: Evidence) -> None:
		"""Add one piece (the outcome of a ticket just resolved); skills follow on refresh()."""
		i = len(self.pieces)
		self.pieces.append(e)
		self.lengths.append(len(e.terms))
		for term, tf in Counter(e.terms).items():
			self.postings[term].append((i, tf))

	def refresh(self, today: date | None = None) -> None:
		self.today = today or self.today
		self.skills = inferred_skills(self.pieces, self.today)
		self._skill_of = {
			u: {s.key: s.score for s in skills if s.key not in self.hidden.get(u, ())}
			for u, skills in self.skills.items()
		}

	def similar(
		self, terms: Sequence[str], limit: int | None = None, meaning: Mapping[str, float] | None = None
	) -> list[tuple[float, int]]:
		"""(score, piece index) of the pieces most like `terms`, best first: BM25, or with `meaning`
		({ticket or article ref: cosine with the question}) the fusion of the two (see fused)."""
		n = len(self.pieces)
		if not n:
			return []
		if meaning:
			return fused(self.similar(terms, limit=n), meaning, self.pieces)[: limit or NEIGHBOURS]
		avg = (sum(self.lengths) / n) or 1.0
		scores: dict[int, float] = defaultdict(float)
		for term in set(terms):
			posting = self.postings.get(term)
			if not posting:
				continue
			idf = math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
			for i, tf in posting:
				norm = K1 * (1 - B + B * self.lengths[i] / avg)
				scores[i] += idf * tf * (K1 + 1) / (tf + norm)
		best = sorted(((s, i) for i, s in scores.items()), key=lambda x: (-x[0], x[1]))
		return best[: limit or NEIGHBOURS]

	def rank(
		self,
		terms: Sequence[str],
		skills: Sequence[str] = (),
		people: Mapping[str, Person] | None = None,
		candidates: Iterable[str] | None = None,
		limit: int = 5,
		exclude: Iterable[str] = (),
		language: str | None = None,
		meaning: Mapping[str, float] | None = None,
	) -> list[Suggestion]:
		"""People best placed to solve a question, with the evidence that says so.

		`people` holds availability, load and languages (someone missing from it is available,
		unloaded, speaks any language); `candidates`, when given, is who may be suggested at all
		(those allowed to take tickets); `language` is the question's."""
		people = people or {}
		allowed = None if candidates is None else set(candidates)
		excluded = set(exclude)
		text: dict[str, float] = defaultdict(float)
		voted: dict[str, list[tuple[float, Evidence]]] = defaultdict(list)
		neighbours = self.similar(terms, meaning=meaning)
		top = neighbours[0][0] if neighbours else 0.0
		for s, i in neighbours:
			e = self.pieces[i]
			vote = (s / top) * KIND_WEIGHT.get(e.kind, 0.0) * decay(e.on, self.today)
			text[e.user] += vote
			voted[e.user].append((vote, e))
		votes = sum(text.values()) or 1.0
		skill: dict[str, float] = defaultdict(float)
		for key in set(skills):
			holders = {u: k[key] for u, k in self._skill_of.items() if key in k}
			total = sum(holders.values()) or 1.0
			for user, value in holders.items():
				skill[user] += value / total / len(set(skills))
		out = []
		for user in set(text) | set(skill):
			if user in excluded or (allowed is not None and user not in allowed):
				continue
			p = people.get(user, Person())
			if p.availability == AWAY:
				continue
			base = text.get(user, 0.0) / votes + SKILL_WEIGHT * skill.get(user, 0.0)
			factor = BUSY_FACTOR if p.availability == BUSY else 1.0
			if not p.speaks(language):
				factor *= OTHER_LANGUAGE_FACTOR
			full = bool(p.capacity) and p.open_tickets >= p.capacity
			if p.capacity and not full:
				factor *= max(LOAD_FLOOR, 1 - LOAD_WEIGHT * p.open_tickets / p.capacity)
			similar = [e for _v, e in sorted(voted.get(user, []), key=lambda x: -x[0])]
			out.append(
				Suggestion(user, base * factor, text.get(user, 0.0), skill.get(user, 0.0), similar, full)
			)
		out.sort(key=lambda s: (s.at_capacity, -s.score, s.user))
		return out[:limit]

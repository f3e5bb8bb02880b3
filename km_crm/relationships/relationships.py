"""Who in the company knows people at an organisation (pure: no Frappe).

Touches are dated, checkable contacts between an internal user and the organisation: emails they
sent to or received from its contacts, meetings (Events with its contacts), ToDos on its records,
Opportunities and Quotations they own, and standing roles that do not fade: a place in the
Customer's Sales Team, its account manager, the Lead's owner. Each touch counts by kind and fades
with a half-life of HALF_LIFE_DAYS. Emails both ways with the same person (a conversation, not a
mailing) multiply the user's strength by RECIPROCITY. The result names the people they know there,
when they were last in touch and what the strength rests on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

HALF_LIFE_DAYS = 180.0
RECIPROCITY = 1.5

EMAIL_SENT = "email_sent"
EMAIL_RECEIVED = "email_received"
MEETING = "meeting"
TODO = "todo"
OPPORTUNITY = "opportunity"
QUOTATION = "quotation"
SALES_TEAM = "sales_team"
ACCOUNT_MANAGER = "account_manager"  # the Customer's account manager, the Lead's owner
KIND_WEIGHT = {
	EMAIL_SENT: 1.0,
	EMAIL_RECEIVED: 1.5,  # they wrote to this user: they know whom to ask
	MEETING: 3.0,
	TODO: 0.5,
	OPPORTUNITY: 2.0,
	QUOTATION: 1.5,
	SALES_TEAM: 4.0,
	ACCOUNT_MANAGER: 4.0,
}
STANDING = {SALES_TEAM, ACCOUNT_MANAGER}


@dataclass(frozen=True)
class Touch:
	user: str
	kind: str
	on: date | datetime
	ref: str  # the record it comes from ("Communication/…", "Event/…")
	contact: str | None = None  # the person at the organisation, when known


@dataclass
class Relationship:
	user: str
	score: float
	contacts: list[str]
	last: date | None  # the newest contact (a standing role is not one); None with roles only
	kinds: dict[str, int]
	evidence: list[str] = field(default_factory=list)  # newest first
	reciprocal: bool = False


def _day(on: date | datetime) -> date:
	return on.date() if isinstance(on, datetime) else on


def fade(on: date | datetime, today: date, half_life: float = HALF_LIFE_DAYS) -> float:
	return 0.5 ** (max(0, (today - _day(on)).days) / half_life)


def strength(touches: Iterable[Touch], today: date, limit: int = 5) -> list[Relationship]:
	"""The users who know the organisation best, strongest first."""
	by_user: dict[str, list[Touch]] = defaultdict(list)
	for t in touches:
		if t.kind in KIND_WEIGHT and t.user:
			by_user[t.user].append(t)
	out = []
	for user, mine in by_user.items():
		score = sum(KIND_WEIGHT[t.kind] * (1.0 if t.kind in STANDING else fade(t.on, today)) for t in mine)
		sent = {t.contact for t in mine if t.kind == EMAIL_SENT and t.contact}
		received = {t.contact for t in mine if t.kind == EMAIL_RECEIVED and t.contact}
		reciprocal = bool(sent & received)
		if reciprocal:
			score *= RECIPROCITY
		contacts = Counter(t.contact for t in mine if t.contact)
		newest = sorted(mine, key=lambda t: _day(t.on), reverse=True)
		contacts_made = [t for t in newest if t.kind not in STANDING]
		out.append(
			Relationship(
				user=user,
				score=round(score, 4),
				contacts=[c for c, _n in contacts.most_common()],
				last=_day(contacts_made[0].on) if contacts_made else None,
				kinds=dict(Counter(t.kind for t in mine)),
				evidence=[t.ref for t in newest[:5]],
				reciprocal=reciprocal,
			)
		)
	out.sort(key=lambda r: (-r.score, r.user))
	return out[:limit]

"""What became of a customer's visit to a ticket form that suggested articles (pure: no Frappe).

A visit is a deflection session; its events are: suggestions shown, an article opened from the
form, "this solved my problem", and a ticket submitted. Its outcome:

* a ticket submitted within the window after the visit's last event: Ticket Submitted (even after
  "solved": the customer still needed us);
* "this solved my problem" and no ticket within the window: Deflected (confirmed);
* an article opened and no ticket within the window: Potential Deflection;
* nothing opened and no ticket within the window: No Article Opened;
* until the window has passed, without a ticket: Open (Deflected already once confirmed).

The outcome is final once the window after the last event has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from km_crm import constants as C

DEFAULT_WINDOW_MINUTES = 60
MAX_WINDOW_MINUTES = 30 * 24 * 60
MAX_SHOWN = 10  # articles remembered per "shown" event


class Verdict(NamedTuple):
	outcome: str
	final: bool


def window(minutes: int | None) -> timedelta:
	"""The configured window, or the default when unset; never longer than 30 days."""
	minutes = int(minutes or 0)
	if minutes <= 0:
		minutes = DEFAULT_WINDOW_MINUTES
	return timedelta(minutes=min(minutes, MAX_WINDOW_MINUTES))


def outcome(events: Iterable[tuple[str, datetime]], now: datetime, minutes: int | None = None) -> Verdict:
	"""The outcome of a session from its (event, when) pairs at time `now`."""
	kinds: set[str] = set()
	last = None
	for kind, when in events:
		if kind not in C.DEFLECTION_EVENTS:
			raise ValueError(f"unknown deflection event: {kind}")
		kinds.add(kind)
		last = when if last is None or when > last else last
	final = last is not None and now - last >= window(minutes)
	if C.EVENT_SUBMITTED in kinds:
		return Verdict(C.OUTCOME_SUBMITTED, True)
	if C.EVENT_SOLVED in kinds:
		return Verdict(C.OUTCOME_DEFLECTED, final)
	if not final:
		return Verdict(C.OUTCOME_OPEN, False)
	if C.EVENT_OPENED in kinds:
		return Verdict(C.OUTCOME_POTENTIAL, True)
	return Verdict(C.OUTCOME_NOTHING_OPENED, True)


def shown_changed(previous: Iterable[str], current: Iterable[str]) -> bool:
	"""A new "shown" event only when the customer sees a different list (not on every keystroke)."""
	return list(current)[:MAX_SHOWN] != list(previous)[:MAX_SHOWN]


@dataclass
class ArticleFigures:
	"""What one article did on the ticket forms, counted in sessions (a session counts once)."""

	article: str
	suggested: int = 0
	opened: int = 0
	confirmed: int = 0  # "this solved my problem" with this article, no ticket after
	potential: int = 0  # opened, no ticket within the window (each article the session opened)
	submitted_after_opening: int = 0


def article_figures(
	outcomes: dict[str, str], events: Iterable[tuple[str, str, str | None, list[str]]]
) -> list[ArticleFigures]:
	"""Per article, from session outcomes {session: outcome} and events (session, event, article,
	articles shown); most deflections first."""
	touched: dict[str, dict[str, set[str]]] = {}

	def mark(article: str, kind: str, session: str) -> None:
		touched.setdefault(article, {}).setdefault(kind, set()).add(session)

	for session, event, article, shown in events:
		if event == C.EVENT_SHOWN:
			for a in shown:
				mark(a, "suggested", session)
		elif event == C.EVENT_OPENED and article:
			mark(article, "opened", session)
		elif event == C.EVENT_SOLVED and article:
			mark(article, "solved", session)
	figures = []
	for article, sessions in touched.items():
		opened = sessions.get("opened", set())
		figures.append(
			ArticleFigures(
				article=article,
				suggested=len(sessions.get("suggested", set())),
				opened=len(opened),
				confirmed=sum(
					1 for s in sessions.get("solved", ()) if outcomes.get(s) == C.OUTCOME_DEFLECTED
				),
				potential=sum(1 for s in opened if outcomes.get(s) == C.OUTCOME_POTENTIAL),
				submitted_after_opening=sum(1 for s in opened if outcomes.get(s) == C.OUTCOME_SUBMITTED),
			)
		)
	figures.sort(key=lambda f: (-(f.confirmed + f.potential), -f.opened, -f.suggested, f.article))
	return figures


def self_service_rate(outcomes: Iterable[str]) -> float | None:
	"""Self-service success rate: visits to a ticket form that ended without a ticket after the
	customer opened a suggested article (confirmed or potential deflections) / visits settled."""
	# None, not 0, when no visit has settled yet
	settled = [o for o in outcomes if o != C.OUTCOME_OPEN]
	if not settled:
		return None
	return sum(1 for o in settled if o in (C.OUTCOME_DEFLECTED, C.OUTCOME_POTENTIAL)) / len(settled)

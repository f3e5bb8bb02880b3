"""Re-verification by evidence, pure: when what happens to a published article's tickets, items and
readers calls for its review, and the reason its reviewer reads.

Four kinds of evidence, each a setting of KM Settings > Re-verification:
- tickets linked to the article as solved are reopened (a number of them within a window of days);
- an ERPNext Item the article names changes (a new variant of it, the Item disabled, its description
  edited);
- readers say it did not solve their problem (a share of its readers, once it has enough of them);
- its ticket links stop (none solved with it for a number of days while other articles of its
  category kept solving tickets).

Each counts only what happened since the article was last published, so one episode of evidence
sends it to review once: an article already in review is not sent again, and after it is published
again its evidence starts afresh.

The reasons are untranslated English templates with named placeholders (REASON_*); the site side
translates the template first and fills in the values after (`Evidence.template`, `Evidence.values`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from km_crm.knowledge.sanitize import html_to_text

DEFAULT_REOPENED_TICKETS = 2
DEFAULT_REOPENED_DAYS = 30
DEFAULT_NOT_SOLVED_PERCENT = 30
DEFAULT_NOT_SOLVED_MIN_READERS = 20
DEFAULT_LINKS_STOP_DAYS = 90
DEFAULT_LINKS_STOP_CATEGORY_TICKETS = 5
MAX_TICKETS_NAMED = 10  # a reason names at most this many tickets, then says how many more

TRIGGER_REOPENED = "reopened_tickets"
TRIGGER_ITEM = "item_changed"
TRIGGER_NOT_SOLVED = "not_solved"
TRIGGER_LINKS_STOPPED = "links_stopped"

ITEM_NEW_VARIANT = "new_variant"
ITEM_DISABLED = "disabled"
ITEM_DESCRIPTION = "description"
ITEM_CHANGES = (ITEM_NEW_VARIANT, ITEM_DISABLED, ITEM_DESCRIPTION)

REASON_REOPENED_ONE = "A ticket solved by this article was reopened in {days} days: {tickets}"
REASON_REOPENED = "{count} tickets solved by this article were reopened in {days} days: {tickets}"
REASON_NEW_VARIANT = "Item {item} has a new variant: {variant}"
REASON_ITEM_DISABLED = "Item {item} was disabled"
REASON_ITEM_DESCRIPTION = "The description of Item {item} was edited"
REASON_NOT_SOLVED = "{not_solved} of {readers} readers ({percent}%) said it did not solve their problem"
REASON_LINKS_STOPPED = (
	"No ticket solved with it in {days} days while {category_tickets} tickets of its category were"
)


@dataclass(frozen=True)
class Evidence:
	"""What calls for review: the trigger, the reason's template and its values, and the facts behind
	it (kept with the article's history)."""

	trigger: str
	template: str
	values: dict
	facts: dict = field(default_factory=dict)

	@property
	def text(self) -> str:
		return self.template.format(**self.values)


def since(now: datetime, days: int, last_published_on: datetime | None) -> datetime:
	"""Where a window of `days` before `now` starts, never before the article's last publication."""
	start = now - timedelta(days=max(int(days or 0), 0))
	return max(start, last_published_on) if last_published_on else start


def is_reopen(was_resolved: bool, is_resolved: bool) -> bool:
	"""A ticket is reopened when it goes from a resolved or closed status back to an open one."""
	return bool(was_resolved) and not is_resolved


def name_tickets(tickets: list[str]) -> tuple[str, int]:
	"""The tickets a reason names (the first MAX_TICKETS_NAMED, comma separated, "…" when there are
	more) and how many more."""
	shown = tickets[:MAX_TICKETS_NAMED]
	more = len(tickets) - len(shown)
	return ", ".join(shown) + (", …" if more else ""), more


def reopened_tickets(tickets: list[str], threshold: int, days: int) -> Evidence | None:
	"""Evidence when at least `threshold` distinct tickets solved by the article were reopened within
	the window (`tickets`: those reopened since the window started, oldest first)."""
	distinct = list(dict.fromkeys(tickets))
	if threshold <= 0 or len(distinct) < threshold:
		return None
	named, more = name_tickets(distinct)
	template = REASON_REOPENED_ONE if len(distinct) == 1 else REASON_REOPENED
	return Evidence(
		TRIGGER_REOPENED,
		template,
		{"count": len(distinct), "days": days, "tickets": named},
		{"tickets": distinct, "more": more},
	)


def item_changes(before: dict | None, after: dict) -> list[str]:
	"""What changed in an Item that articles naming it should hear of: on insert (`before` None), a
	new variant of a template; on update, the Item disabled or its description's text edited."""
	if before is None:
		return [ITEM_NEW_VARIANT] if after.get("variant_of") else []
	changes = []
	if after.get("disabled") and not before.get("disabled"):
		changes.append(ITEM_DISABLED)
	if html_to_text(before.get("description")) != html_to_text(after.get("description")):
		changes.append(ITEM_DESCRIPTION)
	return changes


def item_evidence(item: str, change: str, variant: str | None = None) -> Evidence:
	template = {
		ITEM_NEW_VARIANT: REASON_NEW_VARIANT,
		ITEM_DISABLED: REASON_ITEM_DISABLED,
		ITEM_DESCRIPTION: REASON_ITEM_DESCRIPTION,
	}[change]
	values = {"item": item, **({"variant": variant} if change == ITEM_NEW_VARIANT else {})}
	return Evidence(TRIGGER_ITEM, template, values, {"item": item, "change": change, "variant": variant})


def readers(page_views: int, opened: int, voters: int) -> int:
	"""The readers of an article we know of: its page views where the site counts them, else the times
	it was opened from search results and ticket-form suggestions, and never fewer than the readers
	who voted (each one read it). The largest, not the sum: one reader opens a search result and views
	the page, and is counted once."""
	return max(int(page_views or 0), int(opened or 0), int(voters or 0))


def percent(part: int, whole: int) -> int:
	"""A share in whole percent, halves rounded up (12 of 31: 39)."""
	return (200 * part + whole) // (2 * whole) if whole else 0


def not_solved(votes: int, reader_count: int, share_percent: float, min_readers: int) -> Evidence | None:
	"""Evidence when the readers who voted "did not solve my problem" (`votes`) reach `share_percent`
	of its readers, once it has at least `min_readers` of them (two votes among three readers are not
	evidence)."""
	share = float(share_percent or 0)
	if share <= 0 or votes <= 0 or reader_count < max(int(min_readers or 0), 1):
		return None
	if votes * 100 < share * reader_count:
		return None
	return Evidence(
		TRIGGER_NOT_SOLVED,
		REASON_NOT_SOLVED,
		{"not_solved": votes, "readers": reader_count, "percent": percent(votes, reader_count)},
	)


def links_stopped(
	*,
	solved_before: int,
	solved_in_window: int,
	category_solved_in_window: int,
	live_since: datetime | None,
	now: datetime,
	days: int,
	category_threshold: int,
) -> Evidence | None:
	"""Evidence when an article that used to solve tickets (`solved_before`: tickets it solved before
	the window) solved none in the last `days` while other articles of its category solved at least
	`category_threshold`. The article must have been live the whole window: after it is published
	again, the days start over."""
	if days <= 0 or category_threshold <= 0:
		return None
	if live_since and live_since > now - timedelta(days=days):
		return None
	if solved_before <= 0 or solved_in_window > 0 or category_solved_in_window < category_threshold:
		return None
	return Evidence(
		TRIGGER_LINKS_STOPPED,
		REASON_LINKS_STOPPED,
		{"days": days, "category_tickets": category_solved_in_window},
		{"solved_before": solved_before},
	)

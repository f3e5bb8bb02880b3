"""Date values as they come from forms, the database or JSON (pure)."""

from datetime import date, datetime


def as_date(value: date | datetime | str | None) -> date | None:
	"""A date from a date, a datetime or an ISO string; None when empty. Raises ValueError if unreadable."""
	if value in (None, ""):
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	return date.fromisoformat(str(value)[:10])

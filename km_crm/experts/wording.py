"""How an expert's evidence reads, in the reader's language, with singular and plural."""

from frappe import _


def resolved_like_this(count: int, days: int) -> str:
	"""'resolved 1 ticket like this in the last 90 days' / 'resolved 4 tickets like this ...'."""
	if count == 1:
		return _("resolved {0} ticket like this in the last {1} days").format(count, days)
	return _("resolved {0} tickets like this in the last {1} days").format(count, days)

"""The demo's clock. The demo walks its articles through the real governance actions (draft, submit,
votes, publish); run at one moment, every step would fall in the same second and Time to publish would
read 0 hours. `at(moment)` runs such a step as if at a moment of the past weeks, so the review
rounds, versions, ToDos and the audit trail (signed at that moment, so its chain verifies) carry the
gaps of a real history. Only the demo loader uses it, never the product."""

import contextlib
import sys
from datetime import datetime

import frappe.utils.data


@contextlib.contextmanager
def at(moment: datetime):
	"""Run the block with Frappe's clock (now_datetime, and through it now, today and getdate())
	reading `moment` plus the time the block takes. `moment` must not be in the future."""
	real = frappe.utils.data.now_datetime
	if moment > real():
		raise ValueError(f"the demo dates nothing in the future: {moment}")
	started = real()

	def clock():
		return moment + (real() - started)

	# modules that imported the function hold it under its own name
	holders = [m for m in list(sys.modules.values()) if m is not None and vars(m).get("now_datetime") is real]
	for module in holders:
		module.now_datetime = clock
	try:
		yield
	finally:
		for module in holders:
			module.now_datetime = real

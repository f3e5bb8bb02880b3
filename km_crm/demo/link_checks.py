"""Demo link accuracy, loaded by `km_crm.demo.tickets.load` after the history: the monthly link
samples of the history's months (km_crm.roi.link_sampling, as the scheduler would have run them on
the first of each month), checked by their coach a few days later (the demo's tickets name the
article that solved them, so each link is right); of last month's sample the coach has checked all
but one, which waits in their ToDo list. KCS Metrics then shows link accuracy, also for the last
month. Running it again adds nothing twice."""

from datetime import datetime, time

import frappe
from frappe.utils import add_days, add_months, get_first_day, getdate, today

from km_crm import constants as C
from km_crm.demo import clock
from km_crm.roi import link_sampling


def load() -> int:
	"""Sample each past month of links not sampled yet; return the number of checks created."""
	this_month = get_first_day(today())
	first_link = frappe.db.get_value("KM Article Link", {}, "min(linked_on)")
	if not first_link:
		return 0
	created = 0
	month = get_first_day(getdate(first_link))
	while month < this_month:
		sampled_on = get_first_day(add_months(month, 1))
		if not frappe.db.exists("KM Link Check", {"sample_month": f"{month:%Y-%m}"}):
			with clock.at(datetime.combine(sampled_on, time(6, 0))):
				names = link_sampling.sample_month(month)
			created += len(names)
			if sampled_on < this_month:
				_check(names, datetime.combine(add_days(sampled_on, 2), time(10, 0)))
		month = sampled_on
	last_month = f"{add_months(this_month, -1):%Y-%m}"
	if not frappe.db.exists("KM Link Check", {"sample_month": last_month, "status": "Done"}):
		waiting = frappe.get_all(
			"KM Link Check", filters={"sample_month": last_month}, pluck="name", order_by="name"
		)
		_check(waiting[:-1], None)  # this month, so far: one is still to do
	frappe.set_user("Administrator")
	return created


def _check(names: list[str], moment: datetime | None) -> None:
	for name in names:
		coach = frappe.db.get_value("KM Link Check", name, "coach")
		if not coach:
			continue
		frappe.set_user(coach)
		with clock.at(moment or frappe.utils.now_datetime()):
			doc = frappe.get_doc("KM Link Check", name)
			doc.verdict = C.LINK_RIGHT
			doc.save()  # its ToDo closes
	frappe.set_user("Administrator")

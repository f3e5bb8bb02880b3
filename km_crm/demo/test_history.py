"""The demo's history is never dated in the future: this month's tickets, their links and the visits to
the ticket form fill only the part of the month that has passed, and a reload moves what an earlier
demo dated in the future into the past."""

import random
from datetime import timedelta

import frappe
from frappe.utils import get_datetime, get_first_day, now_datetime, today

from km_crm import constants as C
from km_crm.demo import clock, history
from km_crm.knowledge import audit
from km_crm.roi import kcs_metrics, site_figures
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import (
	GovernanceFixture,
	as_user,
	make_customer,
	make_portal_user,
	word,
)


class TestDemoHistory(KMTestCase):
	def setUp(self):
		super().setUp()
		user = make_portal_user("demo-history-visitor", C.CUSTOMER_ROLE)
		customer, contact = make_customer(f"Demo History {word()}", f"km-{word()}@customer.example.com")
		email = frappe.db.get_value("Contact", contact, "email_id")
		self.customer = {"customer": customer, "contact": contact, "email": email, "user": user}
		self.article = GovernanceFixture().published(audience="Public", title=f"Kiosk {word()} freezes")

	def test_squeeze_keeps_a_moment_of_the_month_out_of_the_future(self):
		first = get_datetime("2026-12-01")
		now = first + timedelta(days=4, hours=10)
		drawn = first + timedelta(days=20, hours=9)
		moved = history.squeeze(first, drawn, 3, now)
		self.assertTrue(first <= moved <= now - timedelta(hours=3), moved)
		self.assertEqual(history.squeeze(first, first + timedelta(days=2), 3, now), first + timedelta(days=2))
		self.assertIsNone(history.squeeze(first, drawn, 24 * 5, now))  # it would have to end now

	def test_this_months_history_is_not_in_the_future(self):
		first = get_first_day(today())
		rng = random.Random(7)
		history._issue_type("Access")
		history._visits(first, rng, {"reset-password": self.article}, self.customer)
		for _ in range(history.PER_MONTH):
			history._ticket(
				"Access", "Medium", first, rng, 26.0, self.article, "Administrator", self.customer
			)
		now = now_datetime()
		sessions = frappe.get_all(
			"KM Deflection Session",
			filters={"visitor": f"user:{self.customer['user']}"},
			fields=["name", "started_on"],
		)
		self.assertTrue(all(get_datetime(s.started_on) <= now for s in sessions), sessions)
		events = frappe.get_all(
			"KM Deflection Event",
			filters={"session": ("in", [s.name for s in sessions] or [""])},
			pluck="occurred_on",
		)
		self.assertTrue(all(get_datetime(e) <= now for e in events), events)
		issues = frappe.get_all(
			"Issue",
			filters={"raised_by": self.customer["email"]},
			fields=["name", "opening_date", "opening_time", "resolution_time"],
		)
		for issue in issues:  # opened and resolved by now
			opened = get_datetime(f"{issue.opening_date} {issue.opening_time}")
			self.assertLessEqual(opened + timedelta(seconds=issue.resolution_time), now, issue.name)
		links = frappe.get_all(
			"KM Article Link", filters={"ticket": ("in", [i.name for i in issues] or [""])}, pluck="linked_on"
		)
		self.assertTrue(all(get_datetime(on) <= now for on in links), links)

	def test_a_reload_moves_a_visit_dated_in_the_future_into_the_past(self):
		started = now_datetime() + timedelta(days=3)
		session = frappe.get_doc(
			{
				"doctype": "KM Deflection Session",
				"channel": C.CHANNEL_ERPNEXT_PORTAL,
				"outcome": C.OUTCOME_DEFLECTED,
				"is_final": 1,
				"user": self.customer["user"],
				"visitor": f"user:{self.customer['user']}",
				"started_on": started,
				"last_event_on": started,
			}
		)
		session.flags.km_append = True
		session.insert(ignore_permissions=True)
		event = frappe.get_doc(
			{
				"doctype": "KM Deflection Event",
				"session": session.name,
				"event": C.EVENT_SOLVED,
				"occurred_on": started + timedelta(minutes=2),
				"channel": C.CHANNEL_ERPNEXT_PORTAL,
				"article": self.article,
			}
		)
		event.flags.km_append = True
		event.insert(ignore_permissions=True)

		history.settle_future(self.customer)

		moved = get_datetime(frappe.db.get_value("KM Deflection Session", session.name, "started_on"))
		self.assertLessEqual(moved, now_datetime())
		occurred = get_datetime(frappe.db.get_value("KM Deflection Event", event.name, "occurred_on"))
		self.assertEqual(occurred - moved, timedelta(minutes=2))  # its events move with it


class TestDemoClock(KMTestCase):
	"""The demo's articles go through the real governance steps at moments of the past weeks: the
	review round, the version and the audit trail carry those moments, and the chain still verifies."""

	def test_a_review_walked_on_the_demo_clock_has_the_gaps_of_a_real_one(self):
		f = GovernanceFixture()
		drafted = now_datetime().replace(microsecond=0) - timedelta(days=9)
		with clock.at(drafted):
			article = f.article(title=f"Badge {word()} reader offline").name
		with clock.at(drafted + timedelta(hours=2)), as_user(f.author):
			from km_crm.governance import actions

			review = actions.submit_for_review(article, "please review")
		f_vote = drafted + timedelta(hours=20)
		with clock.at(f_vote):
			f.vote(f.members[0], review)
		with clock.at(drafted + timedelta(hours=32)):
			f.vote(f.members[1], review)

		opened = get_datetime(frappe.db.get_value("KM Review", review, "opened_on"))
		self.assertLess(abs((opened - (drafted + timedelta(hours=2))).total_seconds()), 60)
		scope = site_figures.scope({"from_date": drafted.date(), "to_date": today(), "category": f.category})
		(published_article,) = site_figures.first_published_articles(scope)
		self.assertAlmostEqual(kcs_metrics.hours_to_publish(published_article), 30.0, delta=0.1)
		events = audit.history(article)
		self.assertEqual(
			[e.event_type for e in events][:2], ["Submitted", "Vote"]
		)  # in the order they happened
		self.assertLess(get_datetime(events[0].occurred_on), now_datetime() - timedelta(days=8))
		self.assertEqual(audit.verify_chain(article), [])  # signed at those moments, the chain holds
		with self.assertRaises(ValueError):  # nothing in the future
			with clock.at(now_datetime() + timedelta(hours=1)):
				pass

	def test_the_demo_articles_go_live_with_the_timelines_gaps(self):
		from km_crm.demo import loader
		from km_crm.demo.content import ARTICLES

		loader._users()
		loader._categories()
		loader._committee()
		names = {}
		for spec in ARTICLES:
			if spec["state"] in ("Published", "Published direct", "Archived", "Published with draft"):
				ours = {**spec, "title": f"{spec['title']} {word()}"}
				names[spec["key"]] = loader._article(ours, names)
		frappe.set_user("Administrator")
		now = now_datetime()
		for key, article in names.items():
			days, votes = loader.TIMELINE[key]
			published_on = get_datetime(
				frappe.db.get_value("KM Article Version", {"article": article, "version": 1}, "published_on")
			)
			submitted_on = frappe.db.get_value(
				"KM Review", {"article": article, "review_type": "Publish"}, "opened_on"
			)
			start = (
				get_datetime(submitted_on)
				if submitted_on
				else get_datetime(frappe.db.get_value("KM Article", article, "creation"))
			)
			self.assertAlmostEqual(
				(published_on - start).total_seconds() / 3600, votes[1], delta=0.1, msg=key
			)
			self.assertLess(published_on, now - timedelta(days=days - 4), key)
			self.assertEqual(audit.verify_chain(article), [], key)
			dated = frappe.get_all("KM Audit Event", filters={"article": article}, pluck="occurred_on")
			self.assertTrue(all(get_datetime(d) <= now for d in dated), key)

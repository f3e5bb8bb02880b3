"""Self-service deflection as customers and guests meet it: suggestions on the ticket forms obey the
audience rule, opening a suggestion and "this solved my problem" are recorded for the visitor's own
session only, a ticket submitted afterwards ends the session, and sessions left alone settle as
potential deflections (or not) once the configured window has passed."""

from typing import ClassVar

import frappe
from frappe.utils import add_to_date, now_datetime, set_request
from frappe.website.serve import get_response

from km_crm import constants as C
from km_crm.api import deflection as api
from km_crm.exceptions import ImmutableRecordError
from km_crm.knowledge import deflection
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_issue, make_portal_user, override_settings


class TestDeflection(KMTestCase):
	settings: ClassVar[dict] = {
		"KM Settings": {"suggest_on_ticket_forms": 1, "deflection_window_minutes": 30}
	}
	fixture = True

	def setUp(self):
		super().setUp()
		self.public = self.f.published(
			audience="Public", title=f"Label printer {self.term} prints blank pages"
		)
		self.customer_only = self.f.published(
			audience="Customer", title=f"Label printer {self.term} firmware for customers"
		)
		self.internal = self.f.published(
			audience="Internal", title=f"Label printer {self.term} internal escalation"
		)
		self.customer = make_portal_user("deflectcustomer", "Customer")
		self.subject = f"My label printer {self.term} prints blank pages"

	def tearDown(self):
		frappe.local.form_dict = frappe._dict()
		frappe.local.request_ip = None
		frappe.local.km_visitor_key = None

	def suggest(self, user, session=None, channel=C.CHANNEL_ERPNEXT_PORTAL, subject=None):
		with as_user(user):
			return api.suggest(channel, subject or self.subject, "It worked yesterday.", session)

	def page(self, path, user, **query):
		with as_user(user):
			frappe.local.form_dict = frappe._dict(query)
			set_request(method="GET", path=path, query_string=query)
			response = get_response()
		return response.status_code, frappe.safe_decode(response.get_data())

	def session(self, key):
		return frappe.get_doc("KM Deflection Session", key)

	def events(self, key):
		return frappe.get_all(
			"KM Deflection Event", filters={"session": key}, pluck="event", order_by="creation asc"
		)

	def test_suggestions_on_the_ticket_form_show_only_what_the_customer_may_read(self):
		firmware = f"Label printer {self.term} firmware"
		answer = self.suggest(self.customer, subject=firmware)
		self.assertIn(self.customer_only, [r["article"] for r in answer["results"]])
		self.assertIn(
			f"/knowledge/{self.customer_only}?deflection={answer['session']}",
			[r["url"] for r in answer["results"]],
		)
		internal = self.suggest(self.customer, subject=f"Label printer {self.term} internal escalation")
		self.assertNotIn(self.internal, [r["article"] for r in internal["results"]])
		frappe.local.request_ip = "198.51.100.7"
		guest = self.suggest("Guest", subject=firmware)
		self.assertNotIn(self.customer_only, [r["article"] for r in guest["results"]])
		self.assertIn(self.public, [r["article"] for r in guest["results"]])
		session = self.session(answer["session"])
		self.assertEqual(
			(session.user, session.channel, session.outcome),
			(self.customer, C.CHANNEL_ERPNEXT_PORTAL, C.OUTCOME_OPEN),
		)

	def test_the_same_list_is_one_shown_event_and_a_new_list_another(self):
		first = self.suggest(self.customer)
		again = self.suggest(self.customer, first["session"])
		self.assertEqual(again["session"], first["session"])
		self.assertEqual(self.events(first["session"]), [C.EVENT_SHOWN])
		other = self.suggest(self.customer, first["session"], subject=f"{self.term} firmware for customers")
		self.assertEqual(other["session"], first["session"])
		self.assertEqual(len(self.events(first["session"])), 1 + (other["results"] != first["results"]))

	def test_opening_a_suggestion_and_saying_it_solved_the_problem_is_a_confirmed_deflection(self):
		key = self.suggest(self.customer)["session"]
		status, body = self.page(f"/knowledge/{self.public}", self.customer, deflection=key)
		self.assertEqual(status, 200)
		self.assertIn("Yes, this solved my problem", body)
		with as_user(self.customer):
			answer = api.solved(key, self.public)
		self.assertIn("do not need to submit a ticket", answer["message"])
		session = self.session(key)
		self.assertEqual(
			(session.outcome, session.solved_article, session.articles_opened),
			(C.OUTCOME_DEFLECTED, self.public, 1),
		)
		self.assertEqual(self.events(key), [C.EVENT_SHOWN, C.EVENT_OPENED, C.EVENT_SOLVED])
		opened = frappe.get_value(
			"KM Deflection Event", {"session": key, "event": C.EVENT_OPENED}, "article_version"
		)
		self.assertEqual(opened, f"{self.public}-v1")

	def test_nobody_records_events_in_someone_elses_session(self):
		key = self.suggest(self.customer)["session"]
		other = make_portal_user("deflectother", "Customer")
		status, body = self.page(f"/knowledge/{self.public}", other, deflection=key)
		self.assertEqual(status, 200)
		self.assertNotIn("Yes, this solved my problem", body)
		with as_user(other), self.assertRaises(frappe.PermissionError):
			api.solved(key, self.public)
		with as_user(self.customer), self.assertRaises(frappe.PermissionError):
			api.solved(key, self.internal)  # never suggested to them
		self.assertEqual(self.events(key), [C.EVENT_SHOWN])

	def test_a_guest_is_followed_by_their_anonymous_key(self):
		frappe.local.request_ip = "198.51.100.8"
		frappe.local.km_visitor_key = frappe.generate_hash(length=24)
		key = self.suggest("Guest")["session"]
		self.assertTrue(self.session(key).visitor.startswith("visitor:"))
		with as_user("Guest"):
			self.assertTrue(deflection.opened(key, self.public))
		frappe.local.km_visitor_key = frappe.generate_hash(length=24)  # another browser, same address
		with as_user("Guest"):
			self.assertFalse(deflection.opened(key, self.public))
		self.assertEqual(self.events(key), [C.EVENT_SHOWN, C.EVENT_OPENED])

	def test_a_ticket_submitted_after_the_suggestions_ends_the_session(self):
		key = self.suggest(self.customer)["session"]
		with as_user(self.customer):
			deflection.opened(key, self.public)
			issue = make_issue(self.subject, "Still blank.", raised_by=self.customer)
		session = self.session(key)
		self.assertEqual((session.outcome, session.is_final), (C.OUTCOME_SUBMITTED, 1))
		self.assertEqual((session.ticket_doctype, session.ticket), ("Issue", issue.name))
		self.assertEqual(self.events(key)[-1], C.EVENT_SUBMITTED)
		# the next visit to the form is a new session
		self.assertNotEqual(self.suggest(self.customer, key)["session"], key)

	def test_a_helpdesk_ticket_ends_the_session_too(self):
		if "helpdesk" not in frappe.get_installed_apps():
			self.skipTest("Helpdesk is not installed on this site")
		key = self.suggest(self.customer, channel=C.CHANNEL_HELPDESK_PORTAL)["session"]
		with as_user(self.customer):
			ticket = frappe.get_doc(
				{
					"doctype": "HD Ticket",
					"subject": self.subject,
					"description": "Still blank.",
					"raised_by": self.customer,
				}
			).insert(ignore_permissions=True)
		session = self.session(key)
		self.assertEqual(
			(session.outcome, session.ticket_doctype, session.ticket),
			(C.OUTCOME_SUBMITTED, "HD Ticket", ticket.name),
		)

	def test_sessions_settle_once_the_window_has_passed(self):
		opened = self.suggest(self.customer)["session"]
		with as_user(self.customer):
			deflection.opened(opened, self.public)
		frappe.local.request_ip = "198.51.100.9"
		only_shown = self.suggest("Guest")["session"]
		deflection.settle_sessions()
		self.assertEqual(self.session(opened).outcome, C.OUTCOME_OPEN)  # within the window
		for key in (opened, only_shown):
			frappe.db.set_value(
				"KM Deflection Session", key, "last_event_on", add_to_date(now_datetime(), minutes=-31)
			)
			frappe.db.set_value(
				"KM Deflection Event",
				{"session": key},
				"occurred_on",
				add_to_date(now_datetime(), minutes=-31),
			)
		self.assertGreaterEqual(deflection.settle_sessions(), 2)
		self.assertEqual(
			(self.session(opened).outcome, self.session(opened).is_final), (C.OUTCOME_POTENTIAL, 1)
		)
		self.assertEqual(self.session(only_shown).outcome, C.OUTCOME_NOTHING_OPENED)
		# a ticket after the window belongs to no session
		with as_user(self.customer):
			make_issue(self.subject, raised_by=self.customer)
		self.assertEqual(self.session(opened).outcome, C.OUTCOME_POTENTIAL)

	def test_deflection_records_come_only_from_the_forms(self):
		key = self.suggest(self.customer)["session"]
		for record in (
			{
				"doctype": "KM Deflection Session",
				"channel": C.CHANNEL_ERPNEXT_PORTAL,
				"outcome": C.OUTCOME_DEFLECTED,
			},
			{
				"doctype": "KM Deflection Event",
				"session": key,
				"event": C.EVENT_SOLVED,
				"article": self.public,
			},
		):
			with self.assertRaises(ImmutableRecordError):
				frappe.get_doc(record).insert()
		session = self.session(key)
		session.outcome = C.OUTCOME_DEFLECTED
		with self.assertRaises(ImmutableRecordError):
			session.save()

	def test_switched_off_the_forms_suggest_nothing(self):
		override_settings(self, "KM Settings", suggest_on_ticket_forms=0)
		answer = self.suggest(self.customer)
		self.assertEqual((answer["results"], answer["session"]), ([], None))

	def test_both_ticket_forms_load_the_suggestions(self):
		status, body = self.page("/issues/new", self.customer)
		self.assertEqual(status, 200)
		self.assertIn("/assets/km_crm/js/km_deflection.js", body)
		if "helpdesk" in frappe.get_installed_apps():
			script = frappe.get_doc("HD Form Script", "km_crm Self-Service Suggestions")
			self.assertEqual((script.dt, script.enabled, script.apply_on_new_page), ("HD Ticket", 1, 1))
			self.assertIn("km_deflection.js", script.script)

	def test_the_deflection_report_counts_what_customers_did(self):
		from km_crm.knowledge.report.self_service_deflection import self_service_deflection as report

		solved = self.suggest(self.customer)["session"]
		with as_user(self.customer):
			deflection.opened(solved, self.public)
			api.solved(solved, self.public)
		other = make_portal_user("deflectreport", "Customer")
		submitted = self.suggest(other)["session"]
		with as_user(other):
			deflection.opened(submitted, self.public)
			make_issue(self.subject, raised_by=other)
		_columns, rows, _message, chart, cards = report.execute({"channel": C.CHANNEL_ERPNEXT_PORTAL})
		row = next(r for r in rows if r["article"] == self.public)
		self.assertEqual(
			(row["suggested"], row["opened"], row["confirmed"], row["submitted_after_opening"]), (2, 2, 1, 1)
		)
		self.assertEqual(row["title"], frappe.db.get_value("KM Article", self.public, "title"))
		self.assertEqual(
			len(chart["data"]["labels"]), min(10, sum(1 for r in rows if r["confirmed"] or r["potential"]))
		)
		self.assertEqual([d["values"] for d in report.chart([row])["data"]["datasets"]], [[1], [0]])
		self.assertEqual(report.chart([row])["data"]["labels"], [row["title"]])  # the title, not KB-00001
		self.assertIn("Still in Their Window: sessions whose window has not passed yet", _message)
		by_label = {c["label"]: c["value"] for c in cards}
		self.assertGreaterEqual(by_label["Confirmed Deflections"], 1)
		self.assertGreaterEqual(by_label["Tickets Submitted Anyway"], 1)

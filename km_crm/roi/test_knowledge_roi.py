"""The Knowledge ROI report against a hand-made history: two resolved tickets solved with an article,
two comparable tickets without one, a confirmed deflection and a programme cost; the figures on the
report are the worked example's."""

import random

import frappe
from frappe.utils import add_to_date, flt, now_datetime, today

from km_crm import constants as C
from km_crm.api import deflection as deflection_api
from km_crm.knowledge import article_links, deflection
from km_crm.roi import calc, site_figures
from km_crm.roi.report.knowledge_roi import knowledge_roi as report
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import (
	GovernanceFixture,
	activity_type,
	as_user,
	make_department_team,
	make_employee,
	make_issue,
	make_portal_user,
	make_user,
	override_settings,
	word,
)


class TestKnowledgeROI(KMTestCase):
	def setUp(self):
		super().setUp()
		self.company = frappe.db.get_value("Company", {}, "name")
		override_settings(
			self,
			"KM ROI Settings",
			company=self.company,
			currency=frappe.db.get_value("Company", self.company, "default_currency"),
			assisted_ticket_cost=30,
			agent_hourly_cost=None,
			handling_hours=None,
			self_service_cost=2,
			potential_deflection_weight=50,
		)
		override_settings(self, "KM Settings", suggest_on_ticket_forms=1)
		self.article = GovernanceFixture().published(
			audience="Public", title=f"Router {self.term} keeps rebooting"
		)
		self.issue_type = (
			frappe.get_doc({"doctype": "Issue Type", "__newname": f"KM ROI {self.term}"}).insert().name
		)

	def resolved_issue(self, hours: float, solved_with: str | None = None) -> str:
		issue = make_issue(f"Router {self.term} reboots", issue_type=self.issue_type, status="Closed")
		frappe.db.set_value("Issue", issue.name, {"resolution_time": hours * 3600, "opening_date": today()})
		if solved_with:
			article_links.add_link(solved_with, "Issue", issue.name, C.LINK_SOLVED)
		return issue.name

	def test_the_report_shows_the_worked_example(self):
		for hours in (10, 14):
			self.resolved_issue(hours)
		for hours in (4, 8):
			self.resolved_issue(hours, solved_with=self.article)
		customer = make_portal_user("roicustomer", "Customer")
		with as_user(customer):
			session = deflection_api.suggest(C.CHANNEL_ERPNEXT_PORTAL, f"Router {self.term} keeps rebooting")[
				"session"
			]
			deflection.opened(session, self.article)
			deflection_api.solved(session, self.article)
		frappe.get_doc(
			{
				"doctype": "KM Program Cost",
				"posting_date": today(),
				"category": "People",
				"company": self.company,
				"hours": 10,
				"hourly_rate": 5,
			}
		).insert()

		columns, rows, message, chart, summary = report.execute({"view": "Articles"})
		row = next(r for r in rows if r["article"] == self.article)
		# baseline 12 h; savings 8 h and 4 h: 6 h per ticket, half the ticket's time, so half its cost
		self.assertEqual((row["tickets_solved"], row["compared"], row["comparable"]), (2, 2, 2))
		self.assertAlmostEqual(row["hours_saved"], 6.0)
		self.assertEqual(row["interval"], "-19.4 to 31.4 h")  # 6 ± 12.706 x 2 (n = 2)
		self.assertEqual((row["confirmed"], row["potential"]), (1, 0))
		self.assertAlmostEqual(row["deflection_value"], 28.0)  # 30 - 2 for one confirmed deflection
		self.assertAlmostEqual(row["resolution_value"], 30.0)  # 2 tickets x 30 x 0.5
		self.assertAlmostEqual(row["total_value"], 58.0)
		self.assertIn("Currency", {c["fieldtype"] for c in columns})
		self.assertIn("An assisted ticket costs", message)
		category = frappe.db.get_value("KM Article", self.article, "category")
		for filters, listed in (
			({"language": "zh"}, False),
			({"language": "en", "category": category}, True),
		):
			_c, filtered, *_rest = report.execute({"view": "Articles", **filters})
			self.assertEqual(self.article in [r["article"] for r in filtered], listed, filters)

		_columns, months, _message, _chart, summary = report.execute(
			{"view": "Months", "company": self.company}
		)
		month = next(m for m in months if m["month"] == today()[:7])
		self.assertGreaterEqual(month["costs"], 50.0)  # 10 h x 5
		self.assertEqual(month["roi"], flt(calc.roi(month["savings"], month["costs"]) * 100, 1))  # in %
		cards = {c["label"]: c["value"] for c in summary}
		self.assertAlmostEqual(cards["Savings"], sum(m["savings"] for m in months))
		self.assertEqual(chart["data"]["labels"], [m["month"] for m in months])

	def test_without_a_ticket_cost_the_report_says_so_and_shows_no_money(self):
		override_settings(self, "KM ROI Settings", assisted_ticket_cost=None, agent_hourly_cost=None)
		self.resolved_issue(10)
		self.resolved_issue(14)
		self.resolved_issue(4, solved_with=self.article)
		_columns, rows, message, _chart, summary = report.execute({})
		row = next(r for r in rows if r["article"] == self.article)
		self.assertAlmostEqual(row["hours_saved"], 8.0)
		self.assertIsNone(row["total_value"])
		self.assertIn("not set in KM ROI Settings", message)
		self.assertNotIn("Savings", {c["label"] for c in summary})

	def test_a_programme_cost_from_hours_is_hours_times_rate(self):
		cost = frappe.get_doc(
			{
				"doctype": "KM Program Cost",
				"posting_date": today(),
				"category": "Training",
				"company": self.company,
				"hours": 3,
				"hourly_rate": 40,
				"amount": 1,
			}
		).insert()
		self.assertEqual(cost.amount, 120)
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "KM Program Cost",
					"posting_date": today(),
					"category": "Tooling",
					"company": self.company,
					"amount": -5,
				}
			).insert()


def free_day() -> str:
	"""A day in the 1990s on which no Issue was opened yet, so a test's counts are its own."""
	while True:
		day = f"199{random.randint(0, 9)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
		if not frappe.db.exists("Issue", {"opening_date": day}):
			return day


class TestKCSMetrics(KMTestCase):
	"""KCS Metrics on a month of its own (March 2019) that holds only the tickets seeded here."""

	fixture = True

	def setUp(self):
		super().setUp()
		self.article = self.f.published(audience="Customer", title=f"Modem {word()} drops calls")

	def closed_issue(self, day: int | str, link_type: str | None = None) -> str:
		"""A closed Issue opened on `day` of March 2019 (or on the date given)."""
		issue = make_issue(f"Modem {word()} drops calls", status="Closed")
		opened = day if isinstance(day, str) else f"2019-03-{day:02d}"
		frappe.db.set_value("Issue", issue.name, {"opening_date": opened, "resolution_time": 7200})
		if link_type:
			article_links.add_link(self.article, "Issue", issue.name, link_type)
		return issue.name

	def test_the_link_rate_is_the_hand_count(self):
		from km_crm.roi.report.kcs_metrics import kcs_metrics as report

		self.closed_issue(4, C.LINK_SOLVED)
		self.closed_issue(5, C.LINK_REFERENCED)
		self.closed_issue(6, C.LINK_SOLVED)
		self.closed_issue(7)
		_columns, rows, message, chart = report.execute({"from_date": "2019-03-01", "to_date": "2019-03-31"})
		by_metric = {r["metric"]: r for r in rows}
		# hand count: 3 of the 4 closed tickets have a linked article; the article was live before all
		self.assertEqual(by_metric["Link rate"]["value"], "75.0%")
		self.assertEqual(by_metric["Link rate"]["basis"], "3 of 4 closed tickets")
		self.assertEqual(by_metric["Reuse against create"]["value"], "3 : 0")
		self.assertEqual(
			by_metric["New against known"]["value"], "3 : 0"
		)  # the article went live after March 2019
		self.assertIn("Link rate: closed tickets with at least one linked article / closed tickets.", message)
		self.assertEqual(message.count("<li>"), len(rows))  # every figure's definition is on the page
		self.assertEqual(len(chart["data"]["datasets"][0]["values"]), 3)

	def test_a_team_counts_the_tickets_its_members_handled(self):
		from frappe.desk.form import assign_to

		from km_crm.roi.report.kcs_metrics import kcs_metrics as report

		member, outsider = (
			make_user(f"km-team-{word()}", "Support Team"),
			make_user(f"km-out-{word()}", "Support Team"),
		)
		team = make_department_team(member)
		day = free_day()  # the class's tests share data, and assignments commit theirs
		for user, link_type in ((member, C.LINK_SOLVED), (member, None), (outsider, C.LINK_SOLVED)):
			issue = self.closed_issue(day, link_type)
			assign_to.add({"assign_to": [user], "doctype": "Issue", "name": issue}, ignore_permissions=True)
			with as_user(user):  # the agent finishes the assignment: a closed assignment still counts
				assign_to.close("Issue", issue, user, ignore_permissions=True)
		period = {"from_date": day, "to_date": day}
		_columns, rows, message, _chart = report.execute({**period, "team": team})
		by_metric = {r["metric"]: r for r in rows}
		# hand count: the member handled two tickets, one with a linked article
		self.assertEqual(by_metric["Link rate"]["basis"], "1 of 2 closed tickets")
		self.assertEqual(by_metric["Link rate"]["value"], "50.0%")
		self.assertEqual(by_metric["Participation"]["basis"], "0 of 1 agents")  # nobody linked that day
		self.assertIn(f"Team {team}", message)
		_columns, everyone, _message, _chart = report.execute(period)
		self.assertEqual({r["metric"]: r for r in everyone}["Link rate"]["basis"], "2 of 3 closed tickets")


class TestTimeToPublishAndParticipation(KMTestCase):
	"""Time to publish runs from the article's submission to its publication; participation reads
	"k of n agents"."""

	fixture = True

	def test_time_to_publish_runs_from_the_submission_to_the_publication(self):
		from km_crm.roi.report.kcs_metrics import kcs_metrics as report

		for hours in (30, 2):  # the committee took 30 hours on one, 2 on the other
			article = self.f.published(title=f"Scanner {word()} jams")
			review = frappe.db.get_value("KM Review", {"article": article}, "name")
			frappe.db.set_value("KM Review", review, "opened_on", add_to_date(now_datetime(), hours=-hours))
		_columns, rows, message, _chart = report.execute(
			{"from_date": today(), "to_date": today(), "category": self.f.category}
		)
		by_metric = {r["metric"]: r for r in rows}
		self.assertEqual(by_metric["Time to publish (median)"]["value"], "16.0 h")
		self.assertEqual(by_metric["Time to publish (median)"]["basis"], "2 articles first published")
		self.assertEqual(by_metric["Published within a day"]["value"], "50.0%")
		self.assertEqual(by_metric["Published within a day"]["basis"], "1 of 2 articles first published")
		self.assertIn("first submission for review (or, when a publisher published it directly", message)

	def test_participation_says_how_many_of_the_agents_took_part(self):
		from km_crm.roi.report.kcs_metrics import kcs_metrics as report

		article = self.f.published(title=f"Scanner {word()} jams")
		linking, idle = (
			make_user("kcs-part", "Support Team"),
			make_user("kcs-idle", "Support Team"),
		)
		team = make_department_team(linking, idle)
		issue = make_issue(f"Scanner {word()} jams", status="Closed")
		article_links.add_link(article, "Issue", issue.name, C.LINK_SOLVED, user=linking)
		_columns, rows, _message, _chart = report.execute(
			{"from_date": today(), "to_date": today(), "team": team}
		)
		participation = {r["metric"]: r for r in rows}["Participation"]
		self.assertEqual(participation["basis"], "1 of 2 agents")
		self.assertEqual(participation["value"], "50.0%")


class TestHandlingTime(KMTestCase):
	"""The cost of an assisted ticket from the time agents logged on Issues (Timesheets on Tasks)."""

	def setUp(self):
		super().setUp()
		override_settings(
			self,
			"KM ROI Settings",
			assisted_ticket_cost=None,
			agent_hourly_cost=40,
			handling_hours=0.5,
			handling_time_source=site_figures.HANDLING_MEASURED,
		)
		self.logged = []

	def log_hours(self, *hours: float) -> None:
		issue = make_issue(f"Printer {word()} offline", status="Closed")
		task = frappe.get_doc(
			{"doctype": "Task", "subject": f"Work on {issue.name}", "issue": issue.name}
		).insert()
		employee = make_employee()
		frappe.get_doc(
			{
				"doctype": "Timesheet",
				"employee": employee,
				"time_logs": [
					{
						"activity_type": activity_type(),
						"hours": h,
						"task": task.name,
						"from_time": add_to_date(now_datetime(), hours=-3 * (i + 1)),
					}
					for i, h in enumerate(hours)
				],
			}
		).insert()
		self.logged.append(sum(hours))

	def test_measured_handling_time_prices_the_ticket(self):
		before, count_before = site_figures.measured_handling_hours()
		self.log_hours(1.0, 0.5)
		self.log_hours(0.5)
		measured, count = site_figures.measured_handling_hours()
		self.assertEqual(count, count_before + 2)
		total_before = (before or 0) * count_before
		self.assertAlmostEqual(measured, (total_before + 2.0) / count)
		a = site_figures.assumptions()
		self.assertAlmostEqual(a.ticket_cost, 40 * measured)
		self.assertIn("logged in Timesheets", a.ticket_cost_basis)

	def test_given_hours_count_until_time_is_logged(self):
		override_settings(self, "KM ROI Settings", handling_time_source="Given")
		self.assertAlmostEqual(site_figures.assumptions().ticket_cost, 20.0)  # 40 x 0.5 h


class TestLiveArticles(KMTestCase):
	"""One notion of "live" (lifecycle.live_article_filters) for every figure."""

	def test_an_article_whose_next_version_is_drafted_keeps_its_reuse_in_the_figures(self):
		f = GovernanceFixture()
		article = f.published(audience="Internal", title=f"Reused {word()}")
		for _ in range(2):
			article_links.add_link(article, "Issue", make_issue(f"Solved {word()}").name, C.LINK_SOLVED)
		with as_user(f.author):
			doc = frappe.get_doc("KM Article", article)
			doc.resolution = f"<p>Next version {word()}</p>"
			doc.save()
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), C.DRAFT)
		scope = site_figures.Scope(
			since=frappe.utils.getdate(today()),
			until=frappe.utils.getdate(today()),
			articles=frozenset({article}),
		)
		self.assertEqual(site_figures.live_reuse_counts(scope), [2])
		# retired, it is no longer live
		frappe.db.set_value("KM Article", article, {"status": C.ARCHIVED, "published_version": None})
		self.assertEqual(site_figures.live_reuse_counts(scope), [])


class TestResolvedTickets(KMTestCase):
	"""One notion of "resolved" (tickets.ticket_types.resolved_statuses) for the panel and the reports."""

	def setUp(self):
		super().setUp()
		if not frappe.db.exists("DocType", "HD Ticket Status"):
			self.skipTest("Helpdesk (with its ticket statuses) is not installed on this site")

	def test_a_helpdesk_ticket_in_a_custom_resolved_status_counts_in_the_roi_report(self):
		status = f"Fixed {word()}"
		frappe.get_doc(
			{"doctype": "HD Ticket Status", "label_agent": status, "category": "Resolved", "enabled": 1}
		).insert(ignore_permissions=True)
		ticket = frappe.get_doc(
			{"doctype": "HD Ticket", "subject": f"Printer {word()}", "raised_by": "hd@example.com"}
		).insert(ignore_permissions=True)
		frappe.db.set_value("HD Ticket", ticket.name, "status", status)
		since = frappe.utils.getdate(frappe.db.get_value("HD Ticket", ticket.name, "opening_date"))
		rows = site_figures._resolved_rows(
			site_figures.Scope(since=since, until=frappe.utils.add_days(since, 1))
		)
		self.assertIn(f"HD Ticket/{ticket.name}", {row.key for row in rows})
		from km_crm.tickets import ticket_types

		self.assertTrue(ticket_types.is_resolved(frappe.get_doc("HD Ticket", ticket.name)))

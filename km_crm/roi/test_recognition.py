"""Recognition rewards what KCS rewards: the shipped Energy Point Rules, through Frappe's own energy
points, give an article's owner points when others reuse it (a ticket link by another agent, a
confirmed deflection, a helpful vote) and for a published article once it is first reused by someone
else; linking, voting for or deflecting with one's own article earns nothing."""

from typing import ClassVar

import frappe
from frappe.utils import add_to_date, get_first_day, now_datetime, today

from km_crm import constants as C
from km_crm.api import deflection as deflection_api
from km_crm.governance import actions
from km_crm.knowledge import article_feedback, article_links, deflection
from km_crm.roi import link_sampling, point_rules, recognition
from km_crm.roi.report.kcs_metrics import kcs_metrics as kcs_report
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import (
	as_user,
	make_department_team,
	make_issue,
	make_portal_user,
	make_user,
	override_settings,
	word,
)


def points_on(doctype: str, name: str) -> list[tuple]:
	"""(user, rule, points) of the energy points a record gave, reverts included."""
	return sorted(
		(r.user, r.rule or "", r.points)  # a revert names no rule
		for r in frappe.get_all(
			"Energy Point Log",
			filters={"reference_doctype": doctype, "reference_name": name},
			fields=["user", "rule", "points"],
		)
	)


def points_of_article(article: str) -> list[tuple]:
	"""Every point the article's records gave (versions, links, feedback, deflections)."""
	out = []
	for doctype, field in (
		("KM Article Version", "article"),
		("KM Article Link", "article"),
		("KM Article Feedback", "article"),
		("KM Deflection Session", "solved_article"),
	):
		for name in frappe.get_all(doctype, filters={field: article}, pluck="name"):
			out += points_on(doctype, name)
	return sorted(out)


class TestRecognition(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		override_settings(self, "Energy Point Settings", enabled=1)
		self.points = dict(frappe.get_all("Energy Point Rule", fields=["name", "points"], as_list=True))
		self.agent = make_user("recognition-agent", "Support Team")
		self.other_agent = make_user("recognition-agent2", "Support Team")
		self.article = self.f.published(audience="Customer", title=f"Scanner {self.term} jams")

	def link(self, user: str, link_type: str = C.LINK_SOLVED, article: str | None = None) -> str:
		issue = make_issue(f"Scanner {word()} jams").name
		return article_links.add_link(article or self.article, "Issue", issue, link_type, user=user)

	def test_a_link_by_another_agent_earns_the_owner_points_a_self_link_nothing(self):
		own = self.link(self.f.author)
		self.assertEqual(points_on("KM Article Link", own), [])
		self.assertFalse(frappe.db.get_value("KM Article Link", own, "first_reuse"))

		reuse = self.link(self.agent, C.LINK_REFERENCED)
		self.assertIn(
			(self.f.author, C.RULE_REUSED, self.points[C.RULE_REUSED]), points_on("KM Article Link", reuse)
		)
		# a link an article was created from is no reuse
		created = self.link(self.other_agent, C.LINK_CREATED_FROM)
		self.assertEqual(points_on("KM Article Link", created), [])

	def test_a_published_article_earns_nothing_until_its_first_reuse_by_someone_else_then_once(self):
		published = self.points[C.RULE_PUBLISHED_REUSED]
		reused = self.points[C.RULE_REUSED]
		self.assertEqual(points_of_article(self.article), [])  # published: nothing yet
		self.link(self.f.author)  # its owner's own link: still nothing
		self.assertEqual(points_of_article(self.article), [])

		first = self.link(self.agent)
		self.assertEqual(
			points_on("KM Article Link", first),
			sorted(
				[(self.f.author, C.RULE_PUBLISHED_REUSED, published), (self.f.author, C.RULE_REUSED, reused)]
			),
		)
		second = self.link(self.other_agent)
		self.assertEqual(points_on("KM Article Link", second), [(self.f.author, C.RULE_REUSED, reused)])

		# its next version, published and reused: no second award for publishing
		self.f.edit(self.article, resolution=f"<p>Clean the rollers {word()}</p>")
		with as_user(self.f.author):
			review = actions.submit_for_review(self.article, "next version")
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)
		self.assertEqual(frappe.db.get_value("KM Article", self.article, "status"), C.PUBLISHED)
		third = self.link(self.agent)
		self.assertEqual(points_on("KM Article Link", third), [(self.f.author, C.RULE_REUSED, reused)])
		total = sum(p for _u, rule, p in points_of_article(self.article) if rule == C.RULE_PUBLISHED_REUSED)
		self.assertEqual(total, published)

	def test_a_removed_link_takes_its_points_back(self):
		first = self.link(self.agent)
		self.assertTrue(points_on("KM Article Link", first))
		article_links.remove_link(first)
		self.assertEqual(
			sum(p for _u, _r, p in points_on("KM Article Link", first)), 0
		)  # each award reverted
		# the article's first reuse is then still to come: once, not twice
		again = self.link(self.other_agent)
		self.assertIn(
			(self.f.author, C.RULE_PUBLISHED_REUSED, self.points[C.RULE_PUBLISHED_REUSED]),
			points_on("KM Article Link", again),
		)
		net = sum(p for _u, _r, p in points_of_article(self.article))
		self.assertEqual(net, self.points[C.RULE_PUBLISHED_REUSED] + self.points[C.RULE_REUSED])

	def test_a_helpful_vote_by_the_owner_earns_nothing_by_a_reader_a_point(self):
		with as_user(self.f.author):
			own = article_feedback.submit(self.article, True, channel="Desk")
		self.assertEqual(points_on("KM Article Feedback", own), [])
		with as_user(self.agent):
			helpful = article_feedback.submit(self.article, True, channel="Desk")
		self.assertEqual(
			points_on("KM Article Feedback", helpful),
			[(self.f.author, C.RULE_HELPFUL, self.points[C.RULE_HELPFUL])],
		)

	def test_a_confirmed_deflection_earns_the_owner_points_a_potential_one_nothing(self):
		override_settings(self, "KM Settings", suggest_on_ticket_forms=1, deflection_window_minutes=30)
		article = self.f.published(audience="Public", title=f"Badge reader {self.term} beeps twice")
		customer = make_portal_user("recognitioncustomer", "Customer")
		sessions = []
		for solved in (True, False):
			with as_user(customer):
				session = deflection_api.suggest(
					C.CHANNEL_ERPNEXT_PORTAL, f"My badge reader {self.term} beeps twice"
				)["session"]
				deflection.opened(session, article)
				if solved:
					deflection_api.solved(session, article)
			sessions.append(session)
			frappe.local.km_visitor_key = None
		self.addCleanup(setattr, frappe.local, "km_visitor_key", None)
		self.assertEqual(points_on("KM Deflection Session", sessions[0]), [])  # not confirmed yet
		earlier = add_to_date(now_datetime(), minutes=-31)
		for key in sessions:
			frappe.db.set_value("KM Deflection Session", key, "last_event_on", earlier)
			frappe.db.set_value("KM Deflection Event", {"session": key}, "occurred_on", earlier)
		deflection.settle_sessions()
		confirmed, potential = sessions
		self.assertEqual(
			frappe.db.get_value("KM Deflection Session", confirmed, ["outcome", "is_final"]),
			(C.OUTCOME_DEFLECTED, 1),
		)
		self.assertEqual(
			points_on("KM Deflection Session", confirmed),
			[(self.f.author, C.RULE_DEFLECTED, self.points[C.RULE_DEFLECTED])],
		)
		self.assertEqual(points_on("KM Deflection Session", potential), [])

	def test_an_administrators_changes_to_the_rules_stay_and_a_missing_rule_comes_back(self):
		before = frappe.db.get_value("Energy Point Rule", C.RULE_REUSED, ["points", "enabled"], as_dict=True)
		self.addCleanup(frappe.db.set_value, "Energy Point Rule", C.RULE_REUSED, before)
		frappe.db.set_value("Energy Point Rule", C.RULE_REUSED, {"points": 7, "enabled": 0})
		frappe.delete_doc("Energy Point Rule", C.RULE_VOTE, force=True, ignore_permissions=True)
		self.assertEqual(point_rules.ensure_rules(), [C.RULE_VOTE])  # as after a migrate
		self.assertEqual(
			frappe.db.get_value("Energy Point Rule", C.RULE_REUSED, ["points", "enabled"]), (7, 0)
		)
		self.assertEqual(frappe.db.get_value("Energy Point Rule", C.RULE_VOTE, "enabled"), 1)

	def test_the_shipped_rules_are_on_and_publishing_alone_earns_nothing(self):
		for name in C.ENERGY_POINT_RULES:
			self.assertTrue(frappe.db.get_value("Energy Point Rule", name, "enabled"), name)
		self.assertFalse(
			frappe.get_all(
				"Energy Point Rule", filters={"reference_doctype": "KM Article Version", "enabled": 1}
			)
		)


class TestCitationAndLinkAccuracy(KMTestCase):
	"""KCS Metrics shows citation (reuse of a person's articles by others) and link accuracy (the
	coaches' verdicts on a monthly sample of each agent's ticket links)."""

	settings: ClassVar[dict] = {"KM ROI Settings": {"link_sample_size": 2}}
	fixture = True

	def setUp(self):
		super().setUp()
		self.owner = make_user(f"cited-{word()}", C.ROLE_CONTRIBUTOR)  # this test's own people
		self.agent = make_user(f"linker-{word()}", "Support Team")
		self.coach = make_user("link-coach", C.ROLE_COACH)
		self.article = self.f.published(
			audience="Customer", title=f"Scanner {self.term} jams", owner=self.owner
		)
		self.team = make_department_team(self.owner, self.agent)

	def link(self, user: str) -> str:
		issue = make_issue(f"Scanner {word()} jams").name
		return article_links.add_link(self.article, "Issue", issue, C.LINK_SOLVED, user=user)

	def metric(self, name: str) -> dict:
		_columns, rows, message, _chart = kcs_report.execute({"team": self.team})
		return next(r for r in rows if r["metric"] == name), message

	def test_citation_counts_the_links_others_made_to_a_persons_articles(self):
		row, message = self.metric("Citation")
		self.assertEqual(row["value"], "0 reuses by others")
		self.assertIn("linking one's own article does not count", message)
		self.link(self.owner)  # a self-link is no citation
		self.link(self.agent)
		self.link(self.f.author)
		row, message = self.metric("Citation")
		self.assertEqual(row["value"], "2 reuses by others")
		self.assertIn(f"{frappe.utils.get_fullname(self.owner)} 2", row["basis"])
		self.assertNotIn("Citation: no article was reused", message)
		# the leaderboard's citations say the same for the period
		board = recognition.get_user_leaderboard(
			frappe.as_json([today(), today()]), None, recognition.CITATIONS
		)
		mine = next(r for r in board if self.owner in r["formatted_name"])
		self.assertEqual(mine["value"], 2)

	def test_a_link_check_marked_wrong_lowers_link_accuracy(self):
		row, message = self.metric("Link accuracy")
		self.assertEqual((row["value"], row["basis"]), ("", "0 of 0 checked links right"))
		self.assertIn("KM Link Check", message)
		links = {self.link(self.agent) for _n in range(3)}
		created = link_sampling.sample_month(get_first_day(today()))
		checks = frappe.get_all(
			"KM Link Check",
			filters={"name": ("in", created), "agent": self.agent},
			fields=["name", "coach", "article_link", "ticket", "status"],
		)
		self.assertEqual(len(checks), 2)  # the sample size per agent
		self.assertTrue({c.article_link for c in checks} <= links)
		self.assertTrue(all(c.coach and c.coach != self.agent and c.status == "To Do" for c in checks))
		for check in checks:
			self.assertTrue(
				frappe.db.exists("ToDo", {"reference_type": "KM Link Check", "reference_name": check.name})
			)
		# run again: no link is checked twice (only the one left over is picked)
		again = link_sampling.sample_month(get_first_day(today()))
		rechecked = frappe.get_all(
			"KM Link Check", filters={"name": ("in", again), "agent": self.agent}, pluck="article_link"
		)
		self.assertEqual(set(rechecked), links - {c.article_link for c in checks})

		coach = checks[0].coach
		with as_user(coach):
			right = frappe.get_doc("KM Link Check", checks[0].name)
			right.verdict = C.LINK_RIGHT
			right.save()
		self.assertEqual((right.status, str(right.checked_on)), ("Done", today()))
		self.assertEqual(
			frappe.db.get_value(
				"ToDo", {"reference_type": "KM Link Check", "reference_name": right.name}, "status"
			),
			"Closed",
		)  # the coach's ToDo is done with it
		self.assertEqual(self.metric("Link accuracy")[0]["value"], "100.0%")
		with as_user(checks[1].coach):
			wrong = frappe.get_doc("KM Link Check", checks[1].name)
			wrong.verdict = C.LINK_WRONG
			wrong.note = "The ticket was about the feeder, not the rollers."
			wrong.save()
		row, message = self.metric("Link accuracy")
		self.assertEqual((row["value"], row["basis"]), ("50.0%", "1 of 2 checked links right"))
		self.assertNotIn("no link check was completed", message)

	def test_only_coaches_and_managers_see_link_checks_and_the_sampled_link_stays(self):
		self.link(self.agent)
		created = link_sampling.sample_month(get_first_day(today()))
		name = frappe.get_all(
			"KM Link Check", filters={"name": ("in", created), "agent": self.agent}, pluck="name"
		)[0]
		for user, sees in ((self.coach, True), (self.agent, False), (self.owner, False)):
			with as_user(user):
				self.assertEqual(frappe.has_permission("KM Link Check", "read", name), sees, user)
				if sees:
					self.assertTrue(frappe.get_list("KM Link Check", filters={"name": name}))
				else:
					with self.assertRaises(frappe.PermissionError):
						frappe.get_list("KM Link Check", filters={"name": name})
		with as_user(self.coach):
			check = frappe.get_doc("KM Link Check", name)
			check.agent = self.coach
			with self.assertRaises(frappe.ValidationError):
				check.save()
			check.reload()
			check.status = "Done"  # no verdict yet
			with self.assertRaises(frappe.ValidationError):
				check.save()

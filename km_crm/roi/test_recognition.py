"""Recognition rewards what KCS rewards: the shipped Energy Point Rules, through Frappe's own energy
points, give an article's owner points when others reuse it (a ticket link by another agent, a
confirmed deflection, a helpful vote) and for a published article once it is first reused by someone
else; linking, voting for or deflecting with one's own article earns nothing."""

import frappe
from frappe.utils import add_to_date, now_datetime

from km_crm import constants as C
from km_crm.api import deflection as deflection_api
from km_crm.governance import actions
from km_crm.knowledge import article_feedback, article_links, deflection
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import (
	as_user,
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

	def test_the_shipped_rules_are_on_and_publishing_alone_earns_nothing(self):
		for name in C.ENERGY_POINT_RULES:
			self.assertTrue(frappe.db.get_value("Energy Point Rule", name, "enabled"), name)
		self.assertFalse(
			frappe.get_all(
				"Energy Point Rule", filters={"reference_doctype": "KM Article Version", "enabled": 1}
			)
		)

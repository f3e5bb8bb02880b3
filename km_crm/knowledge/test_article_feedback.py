"""Readers' feedback through the endpoint, as guests and portal users: one vote per visitor and
article, a ToDo for the owner, Needs Review after enough "incorrect"/"outdated" votes."""

from typing import ClassVar

import frappe

from km_crm.api import feedback as api
from km_crm.knowledge import article_feedback
from km_crm.search import priors
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_portal_user, word


class TestArticleFeedback(KMTestCase):
	settings: ClassVar[dict] = {"KM Settings": {"feedback_review_threshold": 2}}
	fixture = True

	def setUp(self):
		super().setUp()
		self.article = self.f.published(audience="Public", title=f"Router {word()} resets")
		self.address = 0

	def as_guest_from_a_new_address(self):
		self.address += 1
		frappe.local.request_ip = f"198.51.100.{self.address}"
		return as_user("Guest")

	def test_one_vote_per_visitor_and_article(self):
		with self.as_guest_from_a_new_address():
			self.assertEqual(api.submit(self.article, 1)["counted"], 1)
			self.assertEqual(article_feedback.visitor_vote(self.article), 1)
			second = api.submit(self.article, 0, "Unclear")  # not an error: the page says so calmly
			self.assertEqual(second["counted"], 0)
			self.assertIn("already told us", second["message"])
			self.assertEqual(article_feedback.visitor_vote(self.article), 1)
		with self.as_guest_from_a_new_address():
			api.submit(self.article, 0, "Unclear")
		rows = frappe.get_all(
			"KM Article Feedback", filters={"article": self.article}, fields=["helpful", "article_version"]
		)
		self.assertEqual(sorted(r.helpful for r in rows), [0, 1])
		self.assertEqual({r.article_version for r in rows}, {f"{self.article}-v1"})

	def test_a_reader_cannot_vote_on_what_they_may_not_read(self):
		internal = self.f.published(audience="Internal")
		with self.as_guest_from_a_new_address(), self.assertRaises(frappe.PermissionError):
			api.submit(internal, 1)
		with (
			as_user(make_portal_user("feedbackcustomer", "Customer")),
			self.assertRaises(frappe.PermissionError),
		):
			api.submit(internal, 0, "Incorrect")

	def test_not_helpful_needs_a_reason_and_words_reach_the_owner(self):
		with self.as_guest_from_a_new_address(), self.assertRaises(frappe.ValidationError):
			api.submit(self.article, 0)
		with self.as_guest_from_a_new_address():
			api.submit(self.article, 0, "Unclear", "Which router model does step 2 mean?")
		todo = frappe.get_all(
			"ToDo",
			filters={"reference_name": self.article, "allocated_to": self.f.author, "status": "Open"},
			pluck="description",
		)
		self.assertTrue(any("Which router model" in d for d in todo), todo)

	def test_enough_incorrect_votes_send_the_article_back_to_review(self):
		with self.as_guest_from_a_new_address():
			api.submit(self.article, 0, "Incorrect")
		self.assertEqual(frappe.db.get_value("KM Article", self.article, "status"), "Published")
		with as_user(make_portal_user("feedbackreader", "Customer")):
			api.submit(self.article, 0, "Outdated")
		self.assertEqual(frappe.db.get_value("KM Article", self.article, "status"), "Needs Review")
		reason = frappe.get_all(
			"KM Audit Event", filters={"article": self.article, "event_type": "Review Due"}, pluck="details"
		)
		self.assertTrue(reason and "Incorrect: 1" in reason[0] and "Outdated: 1" in reason[0], reason)

	def test_votes_feed_the_ranking_prior(self):
		with self.as_guest_from_a_new_address():
			api.submit(self.article, 1)
		with self.as_guest_from_a_new_address():
			api.submit(self.article, 1)
		usage = priors.for_query("router")([self.article])[self.article]
		self.assertEqual((usage.helpful, usage.not_helpful), (2, 0))

	def test_a_comment_is_kept_as_typed(self):
		with self.as_guest_from_a_new_address():
			api.submit(self.article, 0, "Unclear", '<img src=x onerror="alert(1)"> step 2?')
		self.assertEqual(
			frappe.db.get_value("KM Article Feedback", {"article": self.article}, "comment"),
			'<img src=x onerror="alert(1)"> step 2?',
		)

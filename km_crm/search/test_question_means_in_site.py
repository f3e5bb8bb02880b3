"""The nightly job that learns where this site's questions sit per language (question_means.py):
from the search log's recent searches, a language only with enough of them."""

from unittest.mock import patch

import frappe
from frappe.utils import add_days, now_datetime

from km_crm.search import embedding, hybrid, question_means, semantic
from km_crm.search.backend import SearchBackendError
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import override_settings


class TestQuestionMeansInSite(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		if not embedding.available():
			self.skipTest(f"the embedding model does not run here: {embedding.unavailable_reason()}")
		override_settings(self, "KM Search Settings", semantic_search=1)
		frappe.db.delete("KM Search Log")  # rolled back with the test's transaction
		self.embed_vectors()
		self.f.published(
			audience="Public",
			title=f"Cancel a life insurance policy ({self.term})",
			resolution="<p>Call the insurer and ask for the surrender value first.</p>",
		)

	def log(self, query: str, days_ago: int = 1):
		frappe.get_doc(
			{
				"doctype": "KM Search Log",
				"event": "Search",
				"searched_on": add_days(now_datetime(), -days_ago),
				"query": query,
				"channel": "Portal",
			}
		).insert(ignore_permissions=True)

	def test_a_language_with_enough_recent_questions_gets_its_mean(self):
		n = question_means.MIN_QUESTIONS
		for i in range(n):
			self.log(f"第{i}号保单怎样退保？")
		self.log("第0号保单怎样退保？")  # asked twice: counted once
		for i in range(n - 1):
			self.log(f"How do I cancel policy number {i}?")
		for i in range(5):
			self.log(f"How do I renew policy number {i}?", days_ago=semantic.QUESTION_WINDOW_DAYS + 5)
		self.assertEqual(semantic.update_question_means(), {"zh": n})
		means = semantic.question_means()
		self.assertEqual(set(means), {"zh"})  # English: too few recent questions (old ones do not count)
		self.assertEqual(means["zh"].vector.shape, (embedding.DIM,))
		self.assertEqual(means["zh"].questions, n)
		# how near the site's articles are to it on average, per article language (the reference an
		# answer in another language is measured from)
		self.assertTrue(means["zh"].levels)
		self.assertTrue(all(-1 <= level <= 1 for level in means["zh"].levels.values()))
		self.assertEqual(semantic.status()["question_means"], {"zh": n})

	def test_with_the_engine_away_the_means_are_still_learnt_without_levels(self):
		for i in range(question_means.MIN_QUESTIONS):
			self.log(f"How do I cancel policy number {i}?")
		away = SearchBackendError("the search engine did not answer")
		with patch.object(hybrid, "article_levels", side_effect=away):
			self.assertEqual(semantic.update_question_means(), {"en": question_means.MIN_QUESTIONS})
		self.assertEqual(semantic.question_means()["en"].levels, {})

	def test_nothing_is_learnt_with_search_by_meaning_switched_off(self):
		for i in range(question_means.MIN_QUESTIONS):
			self.log(f"How do I cancel policy number {i}?")
		override_settings(self, "KM Search Settings", semantic_search=0)
		before = frappe.db.get_single_value("KM Search Settings", "question_means")
		self.assertEqual(semantic.update_question_means(), {})
		self.assertEqual(frappe.db.get_single_value("KM Search Settings", "question_means"), before)

"""The assistants' endpoint on a real site: governed passages with what a citation needs, under the
same permissions, languages and limits as every other door."""

import frappe

from km_crm.api import assistant
from km_crm.search import embedding
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_portal_user, make_user, override_settings

QUESTION_ZH = "我忘记了登录密码，怎样重新设置新密码？"


class TestAssistantPassages(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		self.public = self.f.published(
			audience="Public",
			title=f"Reset a forgotten password ({self.term})",
			issue="<p>A user forgot the password and cannot sign in.</p>",
			resolution="<p>On the login page click Forgot Password, enter the e-mail address of the "
			f"account and follow the link in the e-mail to set a new password. {self.term}</p>",
		)
		self.customer_only = self.f.published(
			audience="Customer", title=f"Password rules for customer accounts ({self.term})"
		)
		self.internal = self.f.published(
			audience="Internal", title=f"Reset the administrator password from the console ({self.term})"
		)
		self.draft = self.f.article(audience="Public", title=f"Password reset draft ({self.term})").name
		self.agent = make_user("assistagent", "Support Team")
		self.customer = make_portal_user("assistcustomer", "Customer")

	def ask(self, question: str, user: str = "Guest", **options) -> dict:
		with as_user(user):
			return assistant.passages(question, **options)

	def test_a_guest_gets_public_passages_with_version_text_and_a_citation(self):
		answer = self.ask(self.term)  # (earlier tests' articles of this class share the transaction)
		found = [p["article"] for p in answer["passages"]]
		self.assertEqual(found[0], self.public)
		self.assertTrue({self.customer_only, self.internal, self.draft}.isdisjoint(found), found)
		first = answer["passages"][0]
		self.assertEqual(
			first["version"], frappe.db.get_value("KM Article", self.public, "published_version")
		)
		self.assertEqual((first["language"], first["audience"]), ("en", "Public"))
		self.assertIn("Forgot Password", first["text"])
		self.assertNotIn("<mark>", first["text"])  # plain text to quote, not a highlighted snippet
		self.assertTrue(first["citation_url"].endswith(f"/knowledge/{self.public}"), first["citation_url"])
		self.assertTrue(0 <= first["confidence"] <= 1 and answer["confidence"] == first["confidence"])
		self.assertIn(first["section"], ("issue", "resolution"))

	def test_each_reader_gets_exactly_the_audiences_they_may_read(self):
		question = self.term
		customer = {p["article"] for p in self.ask(question, self.customer)["passages"]}
		self.assertTrue({self.public, self.customer_only} <= customer and self.internal not in customer)
		agent = {p["article"]: p for p in self.ask(question, self.agent, limit=20)["passages"]}
		self.assertTrue({self.public, self.customer_only, self.internal} <= agent.keys())
		version = frappe.db.get_value("KM Article", self.internal, "published_version")
		self.assertTrue(agent[self.internal]["citation_url"].endswith(f"/app/km-article-version/{version}"))
		for user in ("Guest", self.customer, self.agent):
			self.assertNotIn(self.draft, [p["article"] for p in self.ask(question, user)["passages"]])

	def test_a_question_with_nothing_behind_it_is_not_answerable(self):
		answer = self.ask(f"zqxjv {self.term}wq")
		self.assertEqual((answer["passages"], answer["answerable"], answer["confidence"]), ([], False, 0.0))

	def test_a_chinese_question_gets_the_english_passage_by_meaning(self):
		if not embedding.available():
			self.skipTest(f"the embedding model does not run here: {embedding.unavailable_reason()}")
		override_settings(self, "KM Search Settings", semantic_search=1)
		self.embed_vectors()
		english = self.f.published(
			audience="Public",
			title=f"Reset a forgotten password, step by step ({self.term}x)",
			resolution="<p>On the login page click Forgot Password and follow the link in the e-mail.</p>",
		)
		answer = self.ask(QUESTION_ZH)
		self.assertEqual(answer["language"], "zh")
		by_article = {p["article"]: p for p in answer["passages"]}
		self.assertIn(english, by_article)
		self.assertEqual(by_article[english]["language"], "en")
		self.assertGreater(by_article[english]["confidence"], 0)

	def test_questions_count_against_the_callers_limit(self):
		self.count_rates()
		override_settings(self, "KM Search Settings", guest_searches_per_minute=2)
		frappe.cache.delete_keys("km_crm:search_rate")
		self.ask(f"password {self.term}")
		self.ask(f"password {self.term}")
		with self.assertRaises(frappe.RateLimitExceededError):
			self.ask(f"password {self.term}")

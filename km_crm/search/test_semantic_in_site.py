"""Search by meaning inside a real site: a Chinese question finds the English answer through the API,
the portal and the ticket panel, and permissions are the same as for words."""

import frappe

from km_crm.api import search as api
from km_crm.api import tickets as ticket_api
from km_crm.search import embedding, engines, semantic
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_issue, make_user, override_settings

QUESTION = "我忘记了登录密码，怎样重新设置新密码？"


class TestSemanticSearchInSite(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		if not embedding.available():
			self.skipTest(f"the embedding model does not run here: {embedding.unavailable_reason()}")
		override_settings(self, "KM Search Settings", semantic_search=1)
		self.embed_vectors()
		self.answer = self.f.published(
			audience="Public",
			title=f"Reset a forgotten password ({self.term})",
			issue="<p>A user forgot the password and cannot sign in.</p>",
			resolution="<p>On the login page click Forgot Password, enter the e-mail address of the "
			"account and follow the link in the e-mail to set a new password.</p>",
		)
		self.internal = self.f.published(
			audience="Internal",
			title=f"Reset a forgotten administrator password from the server console ({self.term})",
			issue="<p>The administrator forgot the password and cannot sign in.</p>",
			resolution="<p>On the server run the password reset command for the Administrator user "
			"and set a new password.</p>",
		)
		self.unrelated = self.f.published(
			audience="Public",
			title=f"POS closing entry fails with a payment mismatch ({self.term})",
			resolution="<p>Cancel the duplicate payment entry and submit the closing entry again.</p>",
		)

	def assert_a_password_answer_leads(self, rows):
		"""The tests of this class share one transaction, so each test's copy of the password answer
		(or an earlier test's Chinese translation of it) is there: one of them leads."""
		self.assertTrue(
			rows[0]["title"].startswith(("Reset a forgotten password (", "找回忘记的密码")), rows[0]["title"]
		)

	def found(self, query, user="Guest"):
		with as_user(user):
			return [r["article"] for r in api.search(query, channel="Portal")["results"]]

	def test_the_articles_have_vectors_once_published(self):
		held = engines.backend().vectors().versions()
		for article in (self.answer, self.internal, self.unrelated):
			self.assertIn(article, held)
		status = semantic.status()
		self.assertTrue(status["available"])
		self.assertGreaterEqual(status["articles"]["embedded"], 3)

	def test_a_chinese_question_finds_the_english_answer_by_meaning_only(self):
		override_settings(self, "KM Search Settings", semantic_search=0)
		self.assertNotIn(self.answer, self.found(QUESTION))  # no word in common
		override_settings(self, "KM Search Settings", semantic_search=1)
		found = self.found(QUESTION)
		self.assertIn(self.answer, found)
		with as_user("Guest"):
			self.assert_a_password_answer_leads(api.search(QUESTION, channel="Portal")["results"])
		self.assertNotIn(self.internal, found)  # a guest never gets the internal article
		self.assertNotIn(self.unrelated, found)  # nothing in common, in words or in meaning

	def test_an_agent_gets_the_internal_article_too_and_a_customer_does_not(self):
		agent = make_user("agent", "Support Team", "KM Candidate")
		self.assertIn(self.internal, self.found(QUESTION, agent))
		self.assertNotIn(self.internal, self.found(QUESTION, "Guest"))

	def test_the_portal_search_page_shows_the_english_answer(self):
		with as_user("Guest"):
			frappe.form_dict.q = QUESTION
			context = frappe._dict()
			from km_crm.www.knowledge import search as page

			page.get_context(context)
		rows = [r["article"] for r in context.results]
		self.assertIn(self.answer, rows)
		self.assert_a_password_answer_leads(context.results)
		self.assertNotIn(self.internal, rows)

	def test_the_ticket_panel_suggests_the_english_answer_for_a_chinese_ticket(self):
		issue = make_issue("忘记密码", f"<p>{QUESTION}</p>")
		agent = make_user("agent", "Support Team", "KM Candidate")
		with as_user(agent):
			results = ticket_api.suggest("Issue", issue.name)["results"]
		self.assertTrue(results, "no suggestion for the Chinese ticket")
		self.assert_a_password_answer_leads(results)
		self.assertNotIn(self.unrelated, [r["article"] for r in results])

	def test_an_english_answer_is_labelled_for_a_chinese_question(self):
		with as_user("Guest"):
			rows = {r["article"]: r for r in api.search(QUESTION, channel="Portal")["results"]}
		self.assertTrue(rows[self.answer]["other_language"])
		self.assertEqual(rows[self.answer]["language_label"], "English")

	def test_the_readers_language_version_is_shown_in_place_of_the_english_one(self):
		chinese = self.f.published(
			audience="Public",
			language="zh",
			translation_of=self.answer,
			title=f"找回忘记的密码（{self.term}）",
			issue="<p>用户忘记密码，无法登录。</p>",
			resolution="<p>在登录页点击“忘记密码”，输入账户的电子邮件地址，按邮件中的链接设置新密码。</p>",
		)
		internal_zh = self.f.published(
			audience="Internal",
			language="zh",
			translation_of=self.internal,
			title=f"管理员密码（{self.term}）",
		)
		with as_user("Guest"):
			rows = api.search(QUESTION, channel="Portal")["results"]
		found = [r["article"] for r in rows]
		self.assertIn(chinese, found)
		shown = next(r for r in rows if r["article"] == chinese)
		self.assertIn("<mark>", shown["title_html"] + shown["snippet_html"])  # the question's words marked
		self.assertNotIn(self.answer, found)  # shown once, in the reader's language
		self.assertNotIn(internal_zh, found)  # a translation the reader may not see is never swapped in
		self.assertNotIn(self.internal, found)

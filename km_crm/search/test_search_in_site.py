"""Search inside a real site: indexing follows governance, permissions hold for guests and portal users."""

import random
from unittest.mock import patch

import frappe

from km_crm.api import search as api
from km_crm.gaps.report.knowledge_gaps import knowledge_gaps
from km_crm.governance import actions
from km_crm.permissions import readers
from km_crm.search import engines
from km_crm.search.backend import SearchBackendError
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_user, override_settings, word, write_search_logs


class TestSearchInSite(KMTestCase):
	fixture = True

	def published(self, audience="Public", **fields):
		return self.f.published(audience=audience, **fields)

	def found(self, query, user="Administrator", lang=None):
		with as_user(user):
			return [r["article"] for r in api.search(query, channel="Portal", lang=lang)["results"]]

	def test_publishing_makes_an_article_findable_and_retiring_removes_it(self):
		draft = self.f.article(title=f"Scanner {self.term} jams", audience="Public")
		self.assertEqual(self.found(self.term), [])
		article = self.published(title=f"Printer {self.term} prints blank pages")
		self.assertEqual(self.found(self.term), [article])
		self.assertNotIn(draft.name, self.found(self.term))

		with as_user(self.f.author):
			review = actions.request_retirement(article, "obsolete")
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)
		self.assertEqual(self.found(self.term), [])

	def test_a_misspelt_word_still_finds_the_article_for_a_guest(self):
		article = self.published(title=f"Router {self.term} drops the connection")
		typo = self.term[0] + self.term[2] + self.term[1] + self.term[3:]  # two letters swapped
		with as_user("Guest"):
			response = api.search(typo, channel="Portal")
		self.assertEqual([r["article"] for r in response["results"]], [article])
		self.assertIn(f"<mark>{self.term}</mark>", response["results"][0]["title_html"])

	def test_chinese_article_is_found_by_a_chinese_word(self):
		article = self.published(
			title=f"打印机 {self.term} 打印空白页",
			language="zh",
			issue="<p>打印机打印出来的纸张是空白的。</p>",
			resolution="<p>更换墨盒后重新打印测试页。</p>",
		)
		self.assertIn(article, self.found(f"墨盒 {self.term}"))
		self.assertIn(article, self.found("更换墨盒"))

	def test_guests_and_customers_never_see_internal_articles(self):
		public = self.published(title=f"Public {self.term} guide")
		internal = self.published(audience="Internal", title=f"Internal {self.term} escalation")
		customer = self.published(audience="Customer", title=f"Customer {self.term} guide")

		self.assertEqual(set(self.found(self.term)), {public, internal, customer})
		guest = readers.audiences_for("Guest")
		self.assertEqual(guest, ("Public",))
		with as_user("Guest"):
			response = api.search(self.term, channel="Portal")
		texts = frappe.as_json(response)
		self.assertEqual([r["article"] for r in response["results"]], [public])
		self.assertNotIn("escalation", texts)
		self.assertNotIn(internal, texts)

		portal_user = frappe.get_doc(
			{
				"doctype": "User",
				"email": f"{word()}@customer.example.com",
				"first_name": "Cust",
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		portal_user.add_roles("Customer")
		self.assertEqual(set(self.found(self.term, user=portal_user.name)), {public, customer})

	def test_editing_a_live_article_keeps_the_published_text_searchable_until_the_next_publish(self):
		article = self.published(title=f"Router {self.term} reboots")
		new_word = word()
		with as_user(self.f.author):
			doc = frappe.get_doc("KM Article", article)
			doc.resolution = f"<p>Update the firmware {new_word}.</p>"
			doc.save()
		self.assertEqual(self.found(self.term), [article])
		self.assertEqual(self.found(new_word), [])

	def test_with_the_engine_away_a_guest_gets_matching_public_titles_and_a_message(self):
		public = self.published(title=f"Router {self.term} reboots")
		self.published(audience="Internal", title=f"Router {self.term} admin password")
		with patch.object(engines, "backend", return_value=_EngineAway()), as_user("Guest"):
			response = api.search(f"{self.term} router", channel="Portal")
		self.assertIn(public, [r["article"] for r in response["results"]])
		self.assertEqual({r["audience"] for r in response["results"]}, {"Public"})
		self.assertNotIn("admin password", frappe.as_json(response))
		self.assertIn("titles", response["message"])

	def test_moving_search_to_an_elasticsearch_that_does_not_answer_is_refused_with_a_reason(self):
		settings = frappe.get_single("KM Search Settings")
		settings.backend, settings.es_url = "elasticsearch", "http://127.0.0.1:9"  # nothing listens there
		with self.assertRaises(frappe.ValidationError) as raised:
			settings.save()
		self.assertIn("http://127.0.0.1:9", str(raised.exception))
		self.assertNotEqual(frappe.db.get_single_value("KM Search Settings", "backend"), "elasticsearch")

	def test_hostile_queries_do_not_fail(self):
		for query in ['"unbalanced', "*", "-", "a:b", "AND OR NOT", "((", "x" * 10_000, "", "   ", "?!。"]:
			with as_user("Guest"):
				self.assertIsInstance(api.search(query)["results"], list)

	def test_failed_searches_show_up_as_knowledge_gaps(self):
		missing = f"{word()} {word()}"
		from_a_program = f"{word()} {word()}"
		with as_user("Guest"):
			api.search(missing, channel="Portal")
			api.search(from_a_program, channel="API")
		article = self.published(title=f"Modem {self.term} blinking")
		response = api.search(self.term, channel="Desk")
		api.log_click(response["search_id"], article, 1, self.term, "Desk")
		api.search(self.term, channel="Desk")
		write_search_logs()  # what the scheduler does with the queued log records

		rows = {r["gap"]: r for r in knowledge_gaps.execute({"source": "Searches"})[1]}
		self.assertEqual(rows[missing]["zero_results"], 1)
		self.assertEqual(rows[self.term]["no_click"], 1)
		self.assertEqual(rows[self.term]["searches"], 2)
		self.assertEqual(rows[self.term]["count"], 1)  # searched twice, one search not answered
		self.assertNotIn(from_a_program, rows)  # programs calling the API are not people searching

	def test_signed_in_users_and_guests_have_their_own_search_limits(self):
		override_settings(self, "KM Search Settings", user_searches_per_minute=2, guest_searches_per_minute=2)
		self.count_rates()
		frappe.local.request_ip = f"203.0.113.{random.randint(1, 250)}"
		user = make_user(word())
		for _ in range(2):
			with as_user(user):
				api.search(self.term)
		with as_user(user), self.assertRaises(frappe.RateLimitExceededError):
			api.search(self.term)
		with as_user("Guest"):  # same address, a different visitor: not locked out by the user
			api.search(self.term)
		with as_user(make_user(word())):
			api.search(self.term)

	def test_a_click_counts_only_for_an_article_that_the_visitors_own_search_showed(self):
		article = self.published(title=f"Modem {self.term} blinking")
		other = self.published(title=f"Fax {word()} jams")
		response = api.search(self.term, channel="Desk")
		with self.assertRaises(frappe.ValidationError):
			api.log_click("not-a-search", article)
		with self.assertRaises(frappe.ValidationError):
			api.log_click(response["search_id"], other)  # not in that search's results
		with as_user(make_user(word())), self.assertRaises(frappe.ValidationError):
			api.log_click(response["search_id"], article)  # someone else's search
		api.log_click(response["search_id"], article, 1)
		write_search_logs()
		self.assertTrue(
			frappe.db.exists(
				"KM Search Log", {"event": "Click", "search_id": response["search_id"], "article": article}
			)
		)

	def test_reconcile_removes_entries_of_articles_that_are_gone_or_no_longer_live(self):
		from km_crm.search import engines, indexer, service

		live = self.published(title=f"Router {self.term} resets")
		retired = self.published(title=f"Fax {self.term} jams")
		ghost = {**indexer.load_article(live), "name": "KB-GHOST-" + self.term, "title": f"Ghost {self.term}"}
		stale_retired = indexer.load_article(retired)
		with as_user(self.f.author):
			review = actions.request_retirement(retired, "obsolete")
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)
		service.index_articles(engines.backend(), [ghost, stale_retired])  # as if indexing had gone wrong
		self.assertEqual(set(self.found(self.term)), {live, retired, ghost["name"]})

		result = indexer.reconcile()
		self.assertGreaterEqual(result["deleted"], 2)
		self.assertEqual(self.found(self.term), [live])


class _EngineAway:
	"""A search backend whose server does not answer."""

	def __getattr__(self, name):
		def away(*args, **kwargs):
			raise SearchBackendError("Elasticsearch did not answer")

		return away

"""The knowledge portal as guests, customers and partners see it: every route enforces the audience
on the server, and nothing of an article a visitor may not read reaches them."""

import frappe
from frappe.utils import set_request
from frappe.website.serve import get_response

from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import PARTNER_ROLE, as_user, make_portal_user


class TestKnowledgePortal(KMTestCase):
	partner_role = True
	fixture = True

	def setUp(self):
		super().setUp()
		self.titles = {
			a: f"{a} {self.term} printer guide" for a in ("Public", "Customer", "Partner", "Internal")
		}
		self.live = {
			a: self.f.published(audience=a, title=t, resolution=f"<p>{a} {self.term} steps.</p>")
			for a, t in self.titles.items()
		}
		self.customer = make_portal_user("portalcustomer", "Customer")
		self.partner = make_portal_user("portalpartner", PARTNER_ROLE)

	def tearDown(self):
		frappe.local.form_dict = frappe._dict()

	def page(self, path, user="Guest", **query):
		response = self.response(path, user, **query)
		return response.status_code, frappe.safe_decode(response.get_data())

	def response(self, path, user="Guest", **query):
		with as_user(user):
			frappe.local.form_dict = frappe._dict(query)
			set_request(method="GET", path=path, query_string=query)
			return get_response()

	def test_each_visitor_reads_exactly_the_audiences_they_may(self):
		readable = {
			"Guest": {"Public"},
			self.customer: {"Public", "Customer"},
			self.partner: {"Public", "Partner"},
		}
		for user, allowed in readable.items():
			for audience, article in self.live.items():
				status, body = self.page(f"/knowledge/{article}", user)
				if audience in allowed:
					self.assertEqual(status, 200, (user, audience))
					self.assertIn(f"{audience} {self.term} steps.", body)
				else:
					self.assertEqual(status, 403, (user, audience))
					self.assertNotIn(self.term, body, (user, audience))

	def test_lists_search_and_sitemap_never_name_what_the_visitor_may_not_read(self):
		for path, query in (("/knowledge", {}), ("/knowledge/search", {"q": f"printer {self.term}"})):
			status, body = self.page(path, "Guest", **query)
			self.assertEqual(status, 200)
			for audience in ("Customer", "Partner", "Internal"):
				self.assertNotIn(f'/knowledge/{self.live[audience]}"', body, (path, audience))
				self.assertNotIn(f"{audience} <mark>{self.term}", body, (path, audience))
		status, body = self.page("/knowledge/search", "Guest", q=f"printer {self.term}")
		self.assertIn(f'/knowledge/{self.live["Public"]}"', body)
		status, body = self.page("/knowledge/search", self.customer, q=f"printer {self.term}")
		self.assertIn(f'/knowledge/{self.live["Customer"]}"', body)
		self.assertNotIn(f'/knowledge/{self.live["Internal"]}"', body)
		category = frappe.db.get_value("KM Article", self.live["Public"], "category")
		status, body = self.page(f"/knowledge/category/{category}", "Guest")
		self.assertIn(self.titles["Public"], body)
		self.assertNotIn(self.titles["Internal"], body)
		status, body = self.page("/sitemap.xml", "Guest")
		self.assertIn(f"/knowledge/{self.live['Public']}<", body)
		for audience in ("Customer", "Partner", "Internal"):
			self.assertNotIn(f"/knowledge/{self.live[audience]}<", body)

	def test_an_unknown_article_looks_like_a_forbidden_one(self):
		self.assertEqual(self.page("/knowledge/KB-NO-SUCH-ARTICLE")[0], 403)

	def test_the_page_shows_the_published_version_while_the_next_is_drafted(self):
		with as_user(self.f.author):
			doc = frappe.get_doc("KM Article", self.live["Public"])
			doc.resolution = f"<p>Unreviewed {self.term} draft.</p>"
			doc.title = f"<b>Typed</b> {self.term}"
			doc.save()
		status, body = self.page(f"/knowledge/{self.live['Public']}")
		self.assertEqual(status, 200)
		self.assertIn(f"Public {self.term} steps.", body)
		self.assertNotIn("Unreviewed", body)

	def test_text_people_typed_is_escaped_on_the_page(self):
		hostile = self.f.published(
			audience="Public",
			title=f"Printer {self.term} <img src=x onerror=alert(1)>",
			summary="<script>alert(2)</script> summary",
		)
		status, body = self.page(f"/knowledge/{hostile}")
		self.assertEqual(status, 200)
		self.assertIn("&lt;img src=x onerror=alert(1)&gt;", body)
		self.assertNotIn("<img src=x onerror", body)
		self.assertNotIn("<script>alert(2)", body)

	def test_the_page_follows_the_language_switch(self):
		_status, body = self.page("/knowledge", "Guest", lang="zh")
		self.assertIn("知识库", body)
		_status, body = self.page("/knowledge", "Guest", lang="en")
		self.assertIn("Knowledge Base", body)

	def test_the_language_switch_opens_the_articles_translation(self):
		english = self.live["Public"]
		chinese = self.f.published(
			audience="Public",
			language="zh",
			translation_of=english,
			title=f"{self.term} 打印机指南",
			resolution=f"<p>{self.term} 中文步骤。</p>",
		)
		response = self.response(f"/knowledge/{english}", "Guest", lang="zh")
		self.assertEqual(response.status_code, 302)
		self.assertEqual(response.headers["Location"], f"/knowledge/{chinese}?lang=zh")
		status, body = self.page(f"/knowledge/{chinese}", "Guest", lang="zh")
		self.assertEqual(status, 200)
		self.assertIn(f"{self.term} 中文步骤。", body)
		self.assertIn("这篇文章对您有帮助吗", body)  # the page's own words follow too
		self.assertIn(f'href="/knowledge/{english}?lang=en"', body)  # "Read in English" switches back
		response = self.response(f"/knowledge/{chinese}", "Guest", lang="en")
		self.assertEqual(response.headers["Location"], f"/knowledge/{english}?lang=en")
		# without the switch, an article opens as itself (links to a translation keep working)
		self.assertEqual(self.page(f"/knowledge/{chinese}", "Guest")[0], 200)

	def test_without_a_translation_the_reader_may_read_the_article_stays_and_says_so(self):
		internal_zh = self.f.published(
			audience="Internal",
			language="zh",
			translation_of=self.live["Public"],
			title=f"{self.term} 内部",
		)
		status, body = self.page(f"/knowledge/{self.live['Public']}", "Guest", lang="zh")
		self.assertEqual(status, 200)
		self.assertIn("本文暂无中文版", body)
		self.assertNotIn(internal_zh, body)

	def test_category_names_follow_the_language(self):
		category = frappe.db.get_value("KM Article", self.live["Public"], "category")
		frappe.get_doc(
			{
				"doctype": "Translation",
				"language": "zh",
				"source_text": category,
				"translated_text": f"{self.term}类别",
			}
		).insert(ignore_permissions=True)
		frappe.cache.delete_key("translation_assets")
		frappe.local.lang_full_dict = None
		_status, body = self.page("/knowledge", "Guest", lang="zh")
		self.assertIn(f"{self.term}类别", body)
		_status, body = self.page(f"/knowledge/category/{category}", "Guest", lang="zh")
		self.assertIn(f"<h1>{self.term}类别</h1>", body)
		_status, body = self.page("/knowledge", "Guest", lang="en")
		self.assertNotIn(f"{self.term}类别", body)

	def test_the_page_remembers_the_visitors_vote(self):
		from km_crm.api import feedback

		article = self.live["Customer"]
		_status, body = self.page(f"/knowledge/{article}", self.customer)
		self.assertIn('data-helpful="1"', body)
		with as_user(self.customer):
			feedback.submit(article, 0, "Unclear")
		_status, body = self.page(f"/knowledge/{article}", self.customer)
		self.assertIn("You told us this article did not help. Thank you.", body)
		self.assertNotIn('data-helpful="1"', body)
		other = make_portal_user("portalcustomer2", "Customer")
		_status, body = self.page(f"/knowledge/{article}", other)  # another visitor is still asked
		self.assertIn('data-helpful="1"', body)
		_status, body = self.page(f"/knowledge/{self.live['Public']}", self.customer)  # another article too
		self.assertIn('data-helpful="1"', body)

	def test_a_visit_from_the_ticket_form_asks_once(self):
		from km_crm import constants as C
		from km_crm.knowledge import deflection

		article = self.live["Customer"]
		with as_user(self.customer):
			key = deflection.session_for(None, C.DEFLECTION_CHANNELS[0], f"{self.term} printer")
			deflection.shown(key, [article])
		_status, body = self.page(f"/knowledge/{article}", self.customer, deflection=key)
		self.assertIn("Did it solve your problem?", body)
		self.assertNotIn("Did this help?", body)
		self.assertNotIn('data-helpful="1"', body)

"""The knowledge portal as guests, customers and partners see it: every route enforces the audience
on the server, and nothing of an article a visitor may not read reaches them."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import set_request
from frappe.website.serve import get_response

from km_crm.tests.factories import (
	PARTNER_ROLE,
	GovernanceFixture,
	as_user,
	make_portal_user,
	published,
	use_partner_role,
	word,
)

test_ignore = ["Item"]


class TestKnowledgePortal(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		use_partner_role(self)
		self.f = GovernanceFixture()
		self.term = word()
		self.titles = {
			a: f"{a} {self.term} printer guide" for a in ("Public", "Customer", "Partner", "Internal")
		}
		self.live = {
			a: published(self.f, audience=a, title=t, resolution=f"<p>{a} {self.term} steps.</p>")
			for a, t in self.titles.items()
		}
		self.customer = make_portal_user("portalcustomer", "Customer")
		self.partner = make_portal_user("portalpartner", PARTNER_ROLE)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()

	def page(self, path, user="Guest", **query):
		with as_user(user):
			frappe.local.form_dict = frappe._dict(query)
			set_request(method="GET", path=path, query_string=query)
			response = get_response()
		return response.status_code, frappe.safe_decode(response.get_data())

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
		hostile = published(
			self.f,
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
		status, body = self.page("/knowledge", "Guest", lang="zh")
		self.assertIn("知识库", body)
		status, body = self.page("/knowledge", "Guest", lang="en")
		self.assertIn("Knowledge Base", body)

"""Helpdesk's article search, answered from the knowledge base with what the user may read."""

import frappe
from frappe.handler import execute_cmd
from frappe.utils import set_request

from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_portal_user


def helpdesk_search(query: str) -> list[dict]:
	"""As Helpdesk's page calls it: by its own name, through Frappe's whitelist and overrides."""
	set_request(method="POST", path="/api/method/helpdesk.api.article.search")
	frappe.local.form_dict = frappe._dict(query=query)
	try:
		return execute_cmd("helpdesk.api.article.search")
	finally:
		frappe.local.form_dict = frappe._dict()


class TestHelpdeskArticleSearch(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		self.live = {
			a: self.f.published(
				audience=a,
				title=f"{a} {self.term} router reset",
				resolution=f"<p>Hold the {self.term} button.</p>",
			)
			for a in ("Public", "Customer", "Internal")
		}
		self.customer = make_portal_user("hdcustomer", "Customer")

	def test_a_portal_customer_finds_customer_articles_and_never_internal_ones(self):
		with as_user(self.customer):
			results = helpdesk_search(f"{self.term} reset")
		found = {r["id"] for r in results} & set(self.live.values())
		self.assertEqual(found, {self.live["Public"], self.live["Customer"]})
		first = results[0]
		# what Helpdesk's box shows and links: title, a highlighted snippet, "<article>#<anchor>"
		self.assertIn(self.term, first["subject"])
		self.assertIn(f"<mark>{self.term}</mark>", first["description"])
		self.assertEqual(first["name"].split("#")[0], first["id"])

	def test_an_agent_reading_every_audience_finds_the_internal_article_too(self):
		results = helpdesk_search(f"{self.term} reset")
		self.assertIn(self.live["Internal"], {r["id"] for r in results})

	def test_a_guest_may_not_call_it(self):
		with as_user("Guest"), self.assertRaises(frappe.PermissionError):
			helpdesk_search(f"{self.term} reset")

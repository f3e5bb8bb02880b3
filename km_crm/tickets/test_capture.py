"""Create Article searches before it creates: a solved ticket that looks like a live article shows it
first and is not captured again unless the agent says it is new; the draft reads like an article."""

import frappe

from km_crm.api import tickets as api
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_customer, make_issue, make_user, word
from km_crm.tickets.capture import LooksLikeLiveArticle


class TestCapture(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		self.live = self.f.published(
			audience="Customer",
			title=f"POS {self.term} closing entry fails with a payment mismatch",
			issue=f"<p>Closing the POS {self.term} shift fails with a payment mismatch.</p>",
			resolution="<p>Cancel the duplicate payment entry, then submit the POS Closing Entry again.</p>",
		)
		self.customer, self.contact = make_customer(f"Cust {self.term}", f"{self.term}@customer.example.com")
		self.ticket = make_issue(
			f"POS {self.term} closing entry fails at store 12 with a payment mismatch",
			f"<p>Hello, this is Maria Lopez from Cust {self.term} ({self.term}@customer.example.com, "
			f"+1 415 555 0134). Closing the POS {self.term} shift fails with a payment mismatch since order "
			"SAL-ORD-2026-00321 was paid partly by card.</p>"
			"<p>Thanks,<br>Maria Lopez</p>",
			customer=self.customer,
			contact=self.contact,
			raised_by=f"{self.term}@customer.example.com",
			status="Resolved",
			resolution="<p>Hi Maria,</p><p>The cashier had recorded a card payment twice. Cancel the duplicate "
			"payment entry, then submit the POS Closing Entry again.</p><p>Call Maria on +1 415 555 0134 if the "
			"totals still differ.</p><p>Best regards,<br>Sam Support</p>",
		)
		self.agent = make_user("agent", "Support Team", "KM Candidate")

	def tearDown(self):
		frappe.local.lang = "en"

	def check(self, ticket=None):
		with as_user(self.agent):
			return api.capture_check("Issue", ticket or self.ticket.name)

	def test_a_ticket_like_a_live_article_lists_it_first_with_why(self):
		data = self.check()
		self.assertIsNone(data["existing"])
		first = data["articles"][0]
		self.assertEqual(first["article"], self.live)
		self.assertEqual(first["title"], f"POS {self.term} closing entry fails with a payment mismatch")
		self.assertRegex(first["reason"], r"^score \d+, (the only match|[\d.]+x the next)$")
		self.assertIsNone(first["linked"])
		self.assertEqual(data["labels"]["create_new"], "It is new: create the draft")

	def test_creating_without_confirming_is_refused_and_names_the_article(self):
		with as_user(self.agent), self.assertRaises(LooksLikeLiveArticle) as refused:
			api.create_article("Issue", self.ticket.name)
		self.assertIn(f"POS {self.term} closing entry fails with a payment mismatch", str(refused.exception))
		self.assertIn("confirm that the ticket is new", str(refused.exception))
		self.assertFalse(frappe.db.exists("KM Article Link", {"ticket": self.ticket.name}))
		frappe.local.lang = "zh"
		with as_user(self.agent), self.assertRaises(LooksLikeLiveArticle) as refused:
			api.create_article("Issue", self.ticket.name)
		self.assertIn("此工单与已上线文章", str(refused.exception))

	def test_linking_the_live_article_instead_is_shown_and_creates_nothing(self):
		with as_user(self.agent):
			api.link("Issue", self.ticket.name, self.live, "Solved")
		(first,) = [a for a in self.check()["articles"] if a["article"] == self.live]
		self.assertEqual(first["linked"], "Solved")
		self.assertFalse(
			frappe.db.exists("KM Article Link", {"ticket": self.ticket.name, "link_type": "Created From"})
		)

	def test_confirmed_new_it_creates_a_draft_that_reads_like_an_article(self):
		with as_user(self.agent):
			result = api.create_article("Issue", self.ticket.name, confirm_new=1)
		article = frappe.get_doc("KM Article", result["article"])
		self.assertEqual(article.status, "Draft")
		self.assertIn("Closing the POS", article.issue)
		self.assertIn("Cancel the duplicate payment entry", article.resolution)
		for noise in ("Hello", "this is", "Thanks", "Hi ", "Call ", "Best regards", "Sam Support", "[name]"):
			self.assertNotIn(noise, article.issue + article.resolution, noise)
		# what remained personal is still masked and listed
		self.assertNotIn("SAL-ORD-2026-00321", article.issue)
		self.assertIn("document_number", {r["kind"] for r in result["removed"]})
		# asked again, the ticket's own draft comes back: no second article
		self.assertEqual(self.check()["existing"], article.name)
		with as_user(self.agent):
			self.assertEqual(api.create_article("Issue", self.ticket.name)["article"], article.name)

	def test_a_ticket_unlike_any_live_article_is_created_without_asking(self):
		other = word()
		ticket = make_issue(
			f"Scanner {other} feeds two sheets",
			f"<p>The {other} scanner pulls two sheets at once.</p>",
			status="Resolved",
			resolution=f"<p>Clean the {other} separation pad.</p>",
		)
		self.assertEqual(self.check(ticket.name)["articles"], [])
		with as_user(self.agent):
			result = api.create_article("Issue", ticket.name)
		self.assertFalse(result["existing"])

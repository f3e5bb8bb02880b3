"""Who knows them and knowledge for them, on Customer, Lead, Opportunity and Contact forms."""

import frappe
from frappe.utils import add_days, now_datetime, today

from km_crm import constants as C
from km_crm.api import customers as api
from km_crm.knowledge import article_links
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_customer, make_issue, make_user, word


class TestWhoKnowsThem(KMTestCase):
	def setUp(self):
		super().setUp()
		self.email = f"{self.term}@client.example.com"
		self.customer, self.contact = make_customer(
			f"KM Org {self.term}", self.email, "Jane", self.term.title()
		)
		self.seller = make_user(f"seller-{word()}", "Sales User")
		self.clerk = make_user(f"clerk-{word()}", "Accounts User")

	def mail(self, user: str, *, sent: bool, days: int) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "Communication",
					"communication_type": "Communication",
					"communication_medium": "Email",
					"sent_or_received": "Sent" if sent else "Received",
					"sender": user if sent else self.email,
					"recipients": self.email if sent else user,
					"subject": f"{self.term} {days}",
					"content": "<p>Hello</p>",
					"communication_date": add_days(now_datetime(), -days),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def test_the_colleague_in_conversation_with_their_people_knows_them_best(self):
		recent = [self.mail(self.seller, sent=True, days=d) for d in (20, 10)]
		recent.append(self.mail(self.seller, sent=False, days=9))
		event = frappe.get_doc(
			{
				"doctype": "Event",
				"subject": f"Visit {self.term}",
				"event_type": "Private",
				"starts_on": add_days(now_datetime(), -5),
				"event_participants": [{"reference_doctype": "Contact", "reference_docname": self.contact}],
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Event", event.name, "owner", self.seller)
		for days in (700, 710, 720):  # more mail than the seller's, two years ago, one way
			self.mail(self.clerk, sent=True, days=days)

		people = api.who_knows("Customer", self.customer)

		self.assertEqual([p["user"] for p in people], [self.seller, self.clerk])
		seller = people[0]
		self.assertEqual(seller["knows"], [f"Jane {self.term.title()}"])
		self.assertTrue(seller["conversation"])
		self.assertEqual(seller["reason"], "2 emails sent, 1 email received, 1 meeting")
		self.assertEqual(seller["last"], str(add_days(today(), -5)))
		shown = {x["name"] for x in seller["evidence"]}
		self.assertIn(event.name, shown)
		self.assertTrue(set(recent) & shown)
		self.assertFalse(people[1]["conversation"])

	def test_the_lead_they_came_from_the_contact_and_the_opportunity_show_the_same_people(self):
		lead = frappe.get_doc(
			{
				"doctype": "Lead",
				"lead_name": f"Jane {self.term}",
				"company_name": self.customer,
				"email_id": f"lead-{self.email}",
				"lead_owner": self.seller,
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Customer", self.customer, "lead_name", lead.name)
		opportunity = frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": self.customer,
				"opportunity_owner": self.clerk,
			}
		).insert(ignore_permissions=True)
		for doctype, name in (
			("Customer", self.customer),
			("Lead", lead.name),
			("Contact", self.contact),
			("Opportunity", opportunity.name),
		):
			people = {p["user"]: p for p in api.who_knows(doctype, name)}
			self.assertEqual(set(people), {self.seller, self.clerk}, doctype)
			self.assertEqual(people[self.seller]["reason"], "account manager", doctype)
			self.assertEqual(people[self.clerk]["reason"], "owns 1 opportunity", doctype)

	def test_someone_who_may_not_read_the_customer_is_refused(self):
		outsider = make_user(f"outsider-{word()}", "KM Candidate")
		with as_user(outsider), self.assertRaises(frappe.PermissionError):
			api.who_knows("Customer", self.customer)
		with self.assertRaises(frappe.ValidationError):
			api.who_knows("User", self.seller)


class TestKnowledgeForThem(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		self.customer, self.contact = make_customer(f"KM Buyer {self.term}", f"{self.term}@buyer.example.com")

	def solved(self, article: str, n: int) -> None:
		for i in range(n):
			issue = make_issue(f"{self.term} problem {i}", customer=self.customer, status="Closed")
			article_links.add_link(article, "Issue", issue.name, C.LINK_SOLVED)

	def test_articles_that_solved_their_tickets_and_about_what_they_bought_as_the_reader_may_see(self):
		internal = self.f.published(audience="Internal", title=f"{self.term} internal fix")
		public = self.f.published(audience="Public", title=f"{self.term} public fix")
		self.solved(internal, 2)
		self.solved(public, 1)
		item = self.bought()
		about_item = self.f.published(
			audience="Public", title=f"{self.term} terminal guide", items=[{"item": item}]
		)
		self.f.published(audience="Public", title=f"{self.term} unrelated")

		seen = api.knowledge("Customer", self.customer)
		self.assertEqual([a["name"] for a in seen], [internal, public, about_item])
		self.assertEqual(seen[0]["reason"], "solved 2 of their tickets")
		self.assertEqual(seen[2]["reason"], f"about {item}, which they bought")

		clerk = make_user(f"clerk-{word()}", "Accounts User")  # reads customers, not internal knowledge
		with as_user(clerk):
			self.assertEqual(
				[a["name"] for a in api.knowledge("Customer", self.customer)], [public, about_item]
			)

	def bought(self) -> str:
		code = f"KM-{self.term}"
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
		company = frappe.db.get_single_value("Global Defaults", "default_company")
		order = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": self.customer,
				"company": company,
				"delivery_date": today(),
				"items": [{"item_code": code, "qty": 1, "rate": 10, "delivery_date": today()}],
			}
		)
		order.insert(ignore_permissions=True)
		order.submit()
		return code

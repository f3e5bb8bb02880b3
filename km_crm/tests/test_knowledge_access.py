"""Who reads which knowledge, asked through every door as the real users: REST (frappe.client), lists,
link search, the search endpoint. Search and REST must agree."""

import frappe
from frappe.desk.search import search_link
from frappe.tests.utils import FrappeTestCase

from km_crm.api import search as search_api
from km_crm.tests.factories import (
	PARTNER_ROLE,
	GovernanceFixture,
	as_user,
	make_portal_user,
	make_user,
	published,
	use_partner_role,
	word,
)

test_ignore = ["Item"]


class TestKnowledgeAccess(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		use_partner_role(self)
		self.f = GovernanceFixture()
		self.term = word()
		self.live = {
			audience: published(self.f, audience=audience, title=f"{audience} {self.term} printer guide")
			for audience in ("Public", "Customer", "Partner", "Internal")
		}
		self.draft = self.f.article(audience="Public", title=f"Unreviewed {self.term} draft").name
		# a live Customer article whose next version is being drafted: readers get the live v1 only
		self.redrafted = published(self.f, audience="Customer", title=f"Redrafted {self.term} toner")
		with as_user(self.f.author):
			doc = frappe.get_doc("KM Article", self.redrafted)
			doc.resolution = f"<p>Unreviewed {self.term} secret step.</p>"
			doc.save()
		self.support = make_user("support", "Support Team")
		self.sales = make_user("sales", "Sales User")
		self.norole = make_user("norole")
		self.customer = make_portal_user("customer", "Customer")
		self.partner = make_portal_user("partner", PARTNER_ROLE)

	def tearDown(self):
		frappe.set_user("Administrator")

	# -- helpers ------------------------------------------------------------------------------------

	def listed(self, user):
		with as_user(user):
			return set(
				frappe.get_list("KM Article", filters={"title": ("like", f"%{self.term}%")}, pluck="name")
			)

	def searched(self, user, query=None):
		with as_user(user):
			return [r["article"] for r in search_api.search(query or self.term, channel="Desk")["results"]]

	def readable(self, user, doctype, name) -> bool:
		with as_user(user):
			try:
				frappe.client.get(doctype, name)
				return True
			except frappe.PermissionError:
				return False

	# -- tests --------------------------------------------------------------------------------------

	def test_desk_readers_open_live_articles_of_every_audience(self):
		for user in (self.support, self.sales):
			self.assertEqual(self.listed(user), set(self.live.values()))
			for article in self.live.values():
				self.assertTrue(self.readable(user, "KM Article", article), (user, article))
			self.assertEqual(set(self.searched(user)), {*self.live.values(), self.redrafted})
			with as_user(user):
				self.assertFalse(frappe.has_permission("KM Article", "write", self.live["Internal"]))

	def test_a_customer_never_receives_internal_or_partner_knowledge_through_any_door(self):
		allowed = {self.live["Public"], self.live["Customer"]}
		self.assertEqual(self.listed(self.customer), allowed)
		self.assertEqual(set(self.searched(self.customer)), {*allowed, self.redrafted})
		for article in (self.live["Internal"], self.live["Partner"], self.draft, self.redrafted):
			self.assertFalse(self.readable(self.customer, "KM Article", article), article)
		with as_user(self.customer):
			titles = frappe.as_json(search_link("KM Article", self.term))
			count = frappe.client.get_count("KM Article", filters={"title": ("like", f"%{self.term}%")})
			versions = frappe.get_list(
				"KM Article Version", filters={"title": ("like", f"%{self.term}%")}, pluck="name"
			)
		self.assertNotIn("Internal", titles)
		self.assertNotIn("Partner", titles)
		self.assertEqual(count, 2)
		self.assertEqual(set(versions), {f"{a}-v1" for a in (*allowed, self.redrafted)})

	def test_the_partner_role_setting_opens_partner_articles(self):
		self.assertEqual(self.listed(self.partner), {self.live["Public"], self.live["Partner"]})
		self.assertNotIn(self.live["Internal"], self.searched(self.partner))

	def test_a_desk_user_without_a_reader_role_sees_public_knowledge_only(self):
		self.assertEqual(self.listed(self.norole), {self.live["Public"]})
		self.assertEqual(self.searched(self.norole), [self.live["Public"]])
		frappe.get_doc("User", self.norole).add_roles("Support Team")
		self.addCleanup(lambda: frappe.get_doc("User", self.norole).remove_roles("Support Team"))
		self.assertEqual(self.listed(self.norole), set(self.live.values()))

	def test_drafts_and_earlier_versions_are_for_their_author_and_the_km_roles(self):
		self.assertFalse(self.readable(self.support, "KM Article", self.draft))
		self.assertFalse(self.readable(self.support, "KM Article", self.redrafted))
		self.assertTrue(self.readable(self.support, "KM Article Version", f"{self.redrafted}-v1"))
		with as_user(self.support):
			route = search_api.search(f"Redrafted {self.term}")["results"][0]["route"]
			live = frappe.client.get("KM Article Version", f"{self.redrafted}-v1")
		self.assertEqual(route, f"/app/km-article-version/{self.redrafted}-v1")
		self.assertNotIn("secret step", frappe.as_json(live))
		self.assertTrue(self.readable(self.f.author, "KM Article", self.draft))
		self.assertTrue(self.readable(self.f.candidate, "KM Article", self.redrafted))
		self.assertTrue(self.readable(self.f.members[0], "KM Article", self.draft))

	def test_an_earlier_version_is_not_readable_once_a_new_one_is_live(self):
		with as_user(self.f.author):
			doc = frappe.get_doc("KM Article", self.live["Public"])
			doc.resolution = "<p>Version two.</p>"
			doc.save()
		from km_crm.governance import review_round

		with as_user(self.f.author):
			review = review_round.submit_for_review(self.live["Public"])
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)
		self.assertTrue(self.readable(self.support, "KM Article Version", f"{self.live['Public']}-v2"))
		self.assertFalse(self.readable(self.support, "KM Article Version", f"{self.live['Public']}-v1"))
		self.assertTrue(self.readable(self.f.author, "KM Article Version", f"{self.live['Public']}-v1"))

	def test_guests_search_public_knowledge_and_have_no_rest_door(self):
		self.assertEqual(self.searched("Guest"), [self.live["Public"]])
		with as_user("Guest"), self.assertRaises(frappe.PermissionError):
			frappe.client.get_list("KM Article")

	def test_search_never_returns_what_rest_refuses(self):
		for user in (self.support, self.sales, self.norole, self.customer, self.partner, self.f.candidate):
			listed = self.listed(user)
			for article in self.searched(user):
				if article in listed:
					self.assertTrue(self.readable(user, "KM Article", article), (user, article))
				else:
					version = frappe.db.get_value("KM Article", article, "published_version")
					self.assertTrue(self.readable(user, "KM Article Version", version), (user, article))

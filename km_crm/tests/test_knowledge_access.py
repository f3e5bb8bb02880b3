"""Who reads which knowledge, asked through every door as the real users: REST (frappe.client), lists,
link search, the search endpoint. Search and REST must agree. Readers read live versions (KM Article
Version); the article record, the working copy, is for editors and its author."""

import frappe
from frappe.desk.search import search_link

from km_crm.api import search as search_api
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import (
	PARTNER_ROLE,
	as_user,
	make_portal_user,
	make_user,
)


class TestKnowledgeAccess(KMTestCase):
	partner_role = True
	fixture = True

	def setUp(self):
		super().setUp()
		self.live = {
			audience: self.f.published(audience=audience, title=f"{audience} {self.term} printer guide")
			for audience in ("Public", "Customer", "Partner", "Internal")
		}
		self.draft = self.f.article(audience="Public", title=f"Unreviewed {self.term} draft").name
		# a live Customer article whose next version is being drafted: readers get the live v1 only
		self.redrafted = self.f.published(audience="Customer", title=f"Redrafted {self.term} toner")
		self.f.edit(self.redrafted, resolution=f"<p>Unreviewed {self.term} secret step.</p>")
		self.support = make_user("support", "Support Team")
		self.sales = make_user("sales", "Sales User")
		self.norole = make_user("norole")
		self.customer = make_portal_user("customer", "Customer")
		self.partner = make_portal_user("partner", PARTNER_ROLE)

	# -- helpers ------------------------------------------------------------------------------------

	def listed(self, user):
		"""The articles whose live version the user may list."""
		with as_user(user):
			try:
				return set(
					frappe.get_list(
						"KM Article Version", filters={"title": ("like", f"%{self.term}%")}, pluck="article"
					)
				)
			except frappe.PermissionError:  # portal users: the portal is their door
				return set()

	def live_version(self, article):
		return frappe.db.get_value("KM Article", article, "published_version")

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
			self.assertEqual(self.listed(user), {*self.live.values(), self.redrafted})
			for article in self.live.values():
				self.assertTrue(
					self.readable(user, "KM Article Version", self.live_version(article)), (user, article)
				)
				self.assertFalse(self.readable(user, "KM Article", article), (user, article))
			self.assertEqual(set(self.searched(user)), {*self.live.values(), self.redrafted})
			with as_user(user):
				self.assertFalse(frappe.has_permission("KM Article", "write", self.live["Internal"]))

	def on_portal(self, user) -> set[str]:
		"""The articles of this test the portal lets the user read."""
		from km_crm.portal import reader

		out = set()
		for article in (*self.live.values(), self.draft, self.redrafted):
			try:
				reader.article(article, user)
				out.add(article)
			except frappe.PermissionError:
				pass
		return out

	def test_a_customer_never_receives_internal_or_partner_knowledge_through_any_door(self):
		allowed = {self.live["Public"], self.live["Customer"]}
		self.assertEqual(self.on_portal(self.customer), {*allowed, self.redrafted})
		self.assertEqual(set(self.searched(self.customer)), {*allowed, self.redrafted})
		for doctype, name in [("KM Article", a) for a in (*self.live.values(), self.draft)] + [
			("KM Article Version", self.live_version(self.live["Customer"]))
		]:
			self.assertFalse(self.readable(self.customer, doctype, name), name)
		# the desk's records are no door for a portal user: the portal reads for them
		with as_user(self.customer):
			for call in (
				lambda: search_link("KM Article Version", self.term),
				lambda: frappe.client.get_count("KM Article Version"),
				lambda: frappe.client.get_count("KM Article", filters={"title": ("like", f"%{self.term}%")}),
			):
				with self.assertRaises(frappe.PermissionError):
					call()

	def test_the_partner_role_setting_opens_partner_articles(self):
		self.assertEqual(self.on_portal(self.partner), {self.live["Public"], self.live["Partner"]})
		self.assertNotIn(self.live["Internal"], self.searched(self.partner))

	def test_a_desk_user_without_a_reader_role_sees_public_knowledge_only(self):
		accounts = make_user("accounts", "Accounts User")
		self.assertEqual(self.listed(accounts), {self.live["Public"]})
		self.assertEqual(self.searched(accounts), [self.live["Public"]])
		self.assertEqual(self.searched(self.norole), [self.live["Public"]])
		frappe.get_doc("User", accounts).add_roles("Support Team")
		self.addCleanup(lambda: frappe.get_doc("User", accounts).remove_roles("Support Team"))
		self.assertEqual(self.listed(accounts), {*self.live.values(), self.redrafted})

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
		self.f.edit(self.live["Public"], resolution="<p>Version two.</p>")
		from km_crm.governance import actions

		with as_user(self.f.author):
			review = actions.submit_for_review(self.live["Public"])
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)
		self.assertTrue(self.readable(self.support, "KM Article Version", f"{self.live['Public']}-v2"))
		self.assertFalse(self.readable(self.support, "KM Article Version", f"{self.live['Public']}-v1"))
		self.assertTrue(self.readable(self.f.author, "KM Article Version", f"{self.live['Public']}-v1"))

	def test_guests_search_public_knowledge_and_have_no_rest_door(self):
		self.assertEqual(self.searched("Guest"), [self.live["Public"]])
		with as_user("Guest"), self.assertRaises(frappe.PermissionError):
			frappe.client.get_list("KM Article")
		with as_user("Guest"), self.assertRaises(frappe.PermissionError):
			frappe.client.get_list("KM Article Version")

	def test_search_never_returns_what_rest_refuses(self):
		for user in (self.support, self.sales, make_user("accounts", "Accounts User"), self.f.candidate):
			for article in self.searched(user):
				self.assertTrue(
					self.readable(user, "KM Article Version", self.live_version(article)), (user, article)
				)

"""The side doors of issue "close the side doors": each one asked as the real user, the way an HTTP
request asks (permission_probe.call: the app's overrides, the whitelist, the guest check).

The world: a live Customer article whose next version is being drafted ("redrafted": live title
LIVE, working-copy title DRAFT), a draft, an article with an earlier version (OLD) and a live one
(LIVE2), all linked to tickets; readers of every kind."""

import json
import random

from werkzeug.test import EnvironBuilder

import frappe
from frappe.desk.doctype.tag.tag import add_tag

from km_crm.governance import actions
from km_crm.knowledge import article_links
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import (
	as_user,
	make_customer,
	make_issue,
	make_portal_user,
	make_user,
	override_settings,
	word,
)
from km_crm.tests.permission_probe import call, respond


class TestSideDoors(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		w = self.w = {k: word() for k in ("live", "draft", "old", "live2", "committee", "secret")}
		self.redrafted = self.f.published(audience="Customer", title=f"Toner {w['live']}")
		self.f.edit(self.redrafted, title=f"Toner {w['draft']}", resolution=f"<p>{w['draft']} step</p>")
		self.draft = self.f.article(audience="Public", title=f"Router {w['draft']}").name
		self.versioned = self.f.published(audience="Public", title=f"Wifi {w['old']}")
		self.f.edit(self.versioned, title=f"Wifi {w['live2']}", resolution=f"<p>{w['live2']} now</p>")
		with as_user(self.f.author):
			review = actions.submit_for_review(self.versioned, f"note {w['committee']}")
		self.f.vote(self.f.members[0], review, comment=f"vote {w['committee']}")
		self.f.vote(self.f.members[1], review, comment=f"vote {w['committee']}")
		self.customer_name, self.contact = make_customer(f"Doors {word()}", f"{word()}@doors.example.com")
		self.secret_issue = make_issue(f"Secret {w['secret']}", customer=self.customer_name, status="Closed")
		for article in (self.redrafted, self.draft, self.versioned):
			article_links.add_link(article, "Issue", self.secret_issue.name, "Referenced")
		self.sales = make_user("doorsales", "Sales User")
		self.support = make_user("doorsupport", "Support Team")
		self.norole = make_user("doornorole")
		self.portal = make_portal_user("doorcustomer", "Customer")

	def tearDown(self):
		frappe.local.form_dict = frappe._dict()

	def compare(self, user, article, older, newer) -> str:
		"""What compare_versions answers the user for two versions ("v1", "v2") or "working"."""

		def version(v):
			return v if v == "working" else f"{article}-{v}"

		return self.answer(
			user,
			"km_crm.api.articles.compare_versions",
			article=article,
			from_version=version(older),
			to_version=version(newer),
		)

	def answer(self, user, cmd, **kwargs) -> str:
		"""What the user gets back, an error's message included, as text."""
		frappe.local.message_log = []
		with as_user(user):
			try:
				text = json.dumps(respond(cmd, **kwargs), default=str)
			except Exception as exc:
				text = f"{type(exc).__name__} {exc} {frappe.flags.error_message or ''}"
		text += json.dumps(frappe.local.message_log, default=str)
		frappe.local.message_log = []
		return text

	def assertHidden(self, text, *words):
		for w in words:
			self.assertNotIn(self.w.get(w, w), text)

	# 1 ---------------------------------------------------------------------------------------------

	def test_ticket_links_show_the_live_title_and_no_ticket_subject(self):
		text = self.answer(
			self.sales,
			"frappe.client.get_list",
			doctype="KM Article Link",
			fields=json.dumps(["article", "article_title", "ticket"]),
			filters=json.dumps({"ticket": self.secret_issue.name}),
		)
		self.assertIn(self.w["live"], text)  # the live title of the redrafted article
		self.assertIn(self.w["live2"], text)
		self.assertHidden(text, "draft", "old", "secret")
		self.assertNotIn(self.draft, text)  # a draft's links are not a reader's business
		self.assertFalse(frappe.get_meta("KM Article Link").has_field("ticket_subject"))
		# the ticket panel's linked articles: the title the agent may read
		open_issue = make_issue(f"Open {word()}", customer=self.customer_name)
		article_links.add_link(self.redrafted, "Issue", open_issue.name, "Solved")
		with as_user(self.support):
			links = call(
				"km_crm.api.tickets.suggest", ticket_doctype="Issue", ticket=open_issue.name, query="toner"
			)["links"]
		self.assertEqual([link["article_title"] for link in links], [f"Toner {self.w['live']}"])
		with as_user("Administrator"):  # editors read the working copy
			links = call("km_crm.api.tickets.suggest", ticket_doctype="Issue", ticket=open_issue.name)[
				"links"
			]
		self.assertEqual([link["article_title"] for link in links], [f"Toner {self.w['draft']}"])

	def test_a_new_live_version_renames_its_links(self):
		with as_user(self.f.author):
			review = actions.submit_for_review(self.redrafted)
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)
		titles = frappe.get_all("KM Article Link", filters={"article": self.redrafted}, pluck="article_title")
		self.assertEqual(set(titles), {f"Toner {self.w['draft']}"})

	# 2 ---------------------------------------------------------------------------------------------

	def test_knowledge_for_a_customer_shows_the_live_title(self):
		with as_user(self.f.author):
			actions.submit_for_review(self.redrafted)  # in review now: working copy DRAFT
		article_links.add_link(self.redrafted, "Issue", self.secret_issue.name, "Solved")
		with as_user(self.sales):
			rows = call("km_crm.api.customers.knowledge", doctype="Customer", name=self.customer_name)
		titles = {r["name"]: r["title"] for r in rows}
		self.assertEqual(titles.get(self.redrafted), f"Toner {self.w['live']}")
		self.assertHidden(json.dumps(rows), "draft")

	# 3 ---------------------------------------------------------------------------------------------

	def test_readers_get_the_live_version_only(self):
		for user in (self.portal, self.norole, self.support):
			versions = self.answer(user, "km_crm.api.articles.get_versions", article=self.versioned)
			if user == self.support:  # portal users (and users without roles) read on the portal
				self.assertIn(f"{self.versioned}-v2", versions)
			self.assertNotIn(f"{self.versioned}-v1", versions)
			self.assertHidden(versions, "old")
			compared = self.compare(user, self.versioned, "v1", "v2")
			self.assertIn("DoesNotExistError", compared)
			self.assertHidden(compared, "old")
			working = self.compare(user, self.redrafted, "v1", "working")
			self.assertHidden(working, "draft")
		editor = self.answer(self.f.members[2], "km_crm.api.articles.get_versions", article=self.versioned)
		self.assertIn(f"{self.versioned}-v1", editor)

	# 4 ---------------------------------------------------------------------------------------------

	def test_document_history_is_not_a_reader_door(self):
		self.assertEqual(frappe.get_meta("KM Article").track_changes, 0)
		frappe.get_doc(  # history as a site that tracked changes holds it
			{
				"doctype": "Version",
				"ref_doctype": "KM Article",
				"docname": self.versioned,
				"data": json.dumps({"changed": [["title", f"Wifi {self.w['old']}", "Wifi"]]}),
			}
		).insert(ignore_permissions=True)
		for user in (self.portal, self.norole, self.support):
			for cmd in ("frappe.desk.form.load.getdoc", "frappe.desk.form.load.get_docinfo"):
				text = self.answer(user, cmd, doctype="KM Article", name=self.versioned)
				self.assertIn("PermissionError", text)
				self.assertHidden(text, "old")
		# readers open the live version instead, and it has no history of earlier text
		text = self.answer(
			self.support,
			"frappe.desk.form.load.getdoc",
			doctype="KM Article Version",
			name=f"{self.versioned}-v2",
		)
		self.assertIn(self.w["live2"], text)
		self.assertHidden(text, "old", "committee")
		# the committee still sees the earlier text, in the article's versions
		compared = self.compare(self.f.members[0], self.versioned, "v1", "v2")
		self.assertIn(self.w["old"], compared)

	# 5 ---------------------------------------------------------------------------------------------

	def test_child_rows_do_not_name_drafts(self):
		item = frappe.db.get_value("Item", {}, "name")
		if item:
			with as_user(self.f.author):
				doc = frappe.get_doc("KM Article", self.draft)
				doc.append("items", {"item": item})
				doc.save()
		for user in (self.portal, self.norole, self.support):
			text = self.answer(
				user,
				"frappe.client.get_list",
				doctype="KM Article Item",
				parent="KM Article",
				fields=json.dumps(["parent", "item"]),
				limit_page_length=0,
			)
			self.assertIn("PermissionError", text)
			self.assertNotIn(self.draft, text)

	# 6 ---------------------------------------------------------------------------------------------

	def test_tags_do_not_carry_draft_titles(self):
		tag = f"doors-{word()}"
		add_tag(tag, "KM Article", self.draft)
		for user in (self.norole, self.portal, self.support):
			for cmd, args in (
				("frappe.client.get_list", {"doctype": "Tag Link", "fields": json.dumps(["*"])}),
				("frappe.desk.doctype.tag.tag.get_documents_for_tag", {"tag": f"#{tag}"}),
				(
					"frappe.desk.doctype.tag.tag.get_tagged_docs",
					{"doctype": "KM Article Version", "tag": f"%{tag}%"},
				),
			):
				text = self.answer(user, cmd, **args)
				self.assertHidden(text, "draft")
				self.assertNotIn(self.draft, text)
		editor = self.answer(
			self.f.members[0], "frappe.desk.doctype.tag.tag.get_documents_for_tag", tag=f"#{tag}"
		)
		self.assertIn(self.w["draft"], editor)

	# 7 ---------------------------------------------------------------------------------------------

	def test_filters_and_counts_tell_nothing_about_hidden_records(self):
		with as_user(self.f.author):
			actions.submit_for_review(self.draft)  # open round: its voters have ToDos
		for user in (self.portal, self.norole, self.support):
			for doctype in ("KM Article", "KM Article Version", "KM Review"):
				field = "article_title" if doctype == "KM Review" else "title"
				hidden = self.answer(
					user,
					"frappe.client.get",
					doctype=doctype,
					filters=json.dumps(
						{field: ["like", f"%{self.w['old'] if doctype != 'KM Review' else 'Router'}%"]}
					),
				)
				nothing = self.answer(
					user,
					"frappe.client.get",
					doctype=doctype,
					filters=json.dumps({field: ["like", "%zqnomatch%"]}),
				)
				self.assertEqual(hidden.split()[0], nothing.split()[0], (user, doctype))
				self.assertNotIn(self.versioned, hidden)
			for doctype in ("KM Review", "KM Article"):
				text = self.answer(
					user,
					"frappe.desk.listview.get_group_by_count",
					doctype=doctype,
					current_filters=json.dumps(
						{"article_title" if doctype == "KM Review" else "title": ["like", "%Router%"]}
					),
					field="assigned_to",
				)
				self.assertNotIn('"count"', text, (user, doctype))
		# the committee's own sidebar still counts its assignments
		text = self.answer(
			"Administrator",
			"frappe.desk.listview.get_group_by_count",
			doctype="KM Review",
			current_filters=json.dumps({"article": self.draft}),
			field="assigned_to",
		)
		self.assertIn('"count"', text)

	# 8 ---------------------------------------------------------------------------------------------

	def test_committee_deliberation_is_for_the_committee(self):
		for user in (self.portal, self.norole, self.support, "Guest"):
			text = self.answer(user, "km_crm.api.articles.get_history", article=self.versioned)
			self.assertHidden(text, "committee")
			self.assertNotIn(self.f.members[0], text)
		history = self.answer(self.f.members[2], "km_crm.api.articles.get_history", article=self.versioned)
		self.assertIn(self.w["committee"], history)

	# 9 ---------------------------------------------------------------------------------------------

	def test_desk_panels_are_not_for_portal_users(self):
		issue = make_issue(f"Mine {word()}", customer=self.customer_name, raised_by=self.portal)
		for cmd, args in (
			(
				"km_crm.api.tickets.suggest",
				{"ticket_doctype": "Issue", "ticket": issue.name, "query": "toner"},
			),
			("km_crm.api.experts.for_ticket", {"ticket_doctype": "Issue", "ticket": issue.name}),
			("km_crm.api.customers.who_knows", {"doctype": "Customer", "name": self.customer_name}),
		):
			self.assertIn("PermissionError", self.answer(self.portal, cmd, **args), cmd)

	def test_who_knows_them_counts_only_what_the_asker_may_open(self):
		staff = make_user("doorstaff", "Sales User")
		for i in range(3):
			frappe.get_doc(
				{
					"doctype": "Communication",
					"communication_type": "Communication",
					"communication_medium": "Email",
					"sent_or_received": "Sent",
					"sender": staff,
					"recipients": f"{word()}@doors.example.com",
					"subject": f"Private {self.w['secret']} {i}",
					"reference_doctype": "Customer",
					"reference_name": self.customer_name,
				}
			).insert(ignore_permissions=True)
		# an accounts user reads the customer, and none of the company's emails
		accounts = make_user("dooraccounts", "Accounts User")
		admin = self.answer(
			"Administrator", "km_crm.api.customers.who_knows", doctype="Customer", name=self.customer_name
		)
		self.assertIn("emails sent", admin)
		text = self.answer(
			accounts, "km_crm.api.customers.who_knows", doctype="Customer", name=self.customer_name
		)
		self.assertNotIn("PermissionError", text)
		self.assertNotIn("emails sent", text)
		self.assertHidden(text, "secret")

	# 10 --------------------------------------------------------------------------------------------

	def test_the_portal_search_page_is_limited_per_visitor(self):
		from km_crm.www.knowledge import search as search_page

		override_settings(self, "KM Search Settings", guest_searches_per_minute=3)
		self.count_rates()
		frappe.local.request_ip = f"203.0.113.{random.randint(1, 250)}"
		statuses = []
		with as_user("Guest"):
			for _ in range(5):
				frappe.local.form_dict = frappe._dict(q="printer")
				context = frappe._dict()
				search_page.get_context(context)
				statuses.append(context.get("http_status_code") or 200)
		self.assertEqual(statuses, [200, 200, 200, 429, 429])

	def test_a_guest_cannot_choose_its_address_with_x_forwarded_for(self):
		from km_crm import visitors

		def address(peer, header, trusted=""):
			override_settings(self, "KM Search Settings", trusted_proxies=trusted)
			frappe.local.request = EnvironBuilder(
				path="/knowledge/search",
				headers={"X-Forwarded-For": header},
				environ_base={"REMOTE_ADDR": peer},
			).get_request()
			try:
				return visitors.client_address()
			finally:
				del frappe.local.request

		self.assertEqual(address("198.51.100.4", "1.1.1.1"), "198.51.100.4")
		self.assertEqual(address("127.0.0.1", "1.1.1.1"), "127.0.0.1")  # no proxy configured
		self.assertEqual(address("127.0.0.1", "6.6.6.6, 1.1.1.1", trusted="127.0.0.1"), "1.1.1.1")
		with self.assertRaises(frappe.ValidationError):
			override_settings(self, "KM Search Settings", trusted_proxies="nginx.local")
			frappe.get_single("KM Search Settings").save()

	# what readers legitimately used stays ---------------------------------------------------------

	def test_agents_still_open_live_articles_from_search_and_tickets(self):
		with as_user(self.support):
			routes = {
				r["article"]: r["route"]
				for r in call("km_crm.api.search.search", query=self.w["live"])["results"]
			}
		self.assertEqual(routes.get(self.redrafted), f"/app/km-article-version/{self.redrafted}-v1")
		with as_user(self.support):
			version = call("frappe.client.get", doctype="KM Article Version", name=f"{self.redrafted}-v1")
		self.assertEqual(version["title"], f"Toner {self.w['live']}")

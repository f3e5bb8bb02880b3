"""Knowledge inside the ticket, called through the whitelisted endpoints as the real users: an agent
gets suggestions, links, inserts and captures; a customer's contact never receives what they may not
read; similar tickets follow the reader's ticket permissions."""

import frappe

from km_crm.api import tickets as api
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import (
	as_user,
	make_customer,
	make_issue,
	make_portal_user,
	make_user,
	word,
)
from km_crm.tickets import similar, ticket_index


class TestTicketKnowledge(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		self.customer_article = self.f.published(
			audience="Customer",
			title=f"Printer {self.term} prints blank pages",
			resolution=f"<p>Replace the {self.term} toner cartridge and print a test page.</p>",
		)
		self.internal_article = self.f.published(
			audience="Internal",
			title=f"Printer {self.term} prints blank pages: escalate to the vendor",
			resolution=f"<p>Open a vendor case for the {self.term} printer with the service contract number.</p>",
		)
		self.customer, self.contact = make_customer(f"Cust {self.term}", f"{self.term}@customer.example.com")
		self.issue = make_issue(
			f"Printer {self.term} prints blank pages",
			f"<p>Hello, our {self.term} printer prints blank pages since Monday. Regards, Maria</p>",
			customer=self.customer,
			contact=self.contact,
			raised_by=f"{self.term}@customer.example.com",
		)
		self.agent = make_user("agent", "Support Team", "KM Candidate")

	def suggest(self, user=None, **kw):
		with as_user(user or self.agent):
			return api.suggest("Issue", self.issue.name, **kw)

	def test_an_agent_gets_suggestions_for_the_ticket_with_what_each_action_allows(self):
		data = self.suggest()
		found = {r["article"]: r for r in data["results"]}
		self.assertIn(self.customer_article, found)
		self.assertIn(self.internal_article, found)
		self.assertIn("<mark>", found[self.customer_article]["snippet_html"])
		self.assertIsNone(found[self.customer_article]["insert_refused"])
		self.assertIn("Internal", found[self.internal_article]["insert_refused"])
		self.assertEqual(data["contact_audiences"], ["Customer", "Public"])

	def test_suggestions_follow_what_the_agent_types(self):
		other = word()
		article = self.f.published(
			audience="Customer",
			title=f"Scanner {other} jams",
			issue=f"<p>The {other} scanner jams halfway through a document.</p>",
			environment="<p>Scanners in the mail room.</p>",
			cause="<p>A worn feed roller.</p>",
			resolution="<p>Open the lid.</p>",
		)
		self.assertNotIn(article, [r["article"] for r in self.suggest()["results"]])
		typed = self.suggest(reply=f"Could the {other} scanner jam be related?")
		self.assertIn(article, [r["article"] for r in typed["results"]])
		searched = self.suggest(query=f"scanner {other}")
		self.assertEqual(searched["results"][0]["article"], article)

	def test_linking_an_article_counts_its_reuse_once_per_ticket(self):
		with as_user(self.agent):
			links = api.link("Issue", self.issue.name, self.customer_article, "Solved")
			api.link("Issue", self.issue.name, self.customer_article, "Solved")
			api.link("Issue", self.issue.name, self.customer_article, "Referenced")
		self.assertEqual(
			[(link["article"], link["link_type"]) for link in links], [(self.customer_article, "Solved")]
		)
		self.assertEqual(frappe.db.count("KM Article Link", {"ticket": self.issue.name}), 2)
		self.assertEqual(frappe.db.get_value("KM Article", self.customer_article, "reuse_count"), 1)
		link = frappe.db.get_value(
			"KM Article Link", {"ticket": self.issue.name, "link_type": "Solved"}, "name"
		)
		with as_user(self.agent):
			api.unlink("Issue", self.issue.name, link)
		self.assertEqual(
			frappe.db.get_value("KM Article", self.customer_article, "reuse_count"), 1
		)  # still referenced

	def test_links_are_made_only_through_the_panel(self):
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "KM Article Link",
					"article": self.customer_article,
					"ticket_doctype": "Issue",
					"ticket": self.issue.name,
					"link_type": "Solved",
				}
			).insert()

	def test_insert_gives_the_live_customer_text_and_refuses_internal_text(self):
		with as_user(self.f.author):
			draft = frappe.get_doc("KM Article", self.customer_article)
			draft.resolution = "<p>Unreviewed draft text.</p>"
			draft.save()
		with as_user(self.agent):
			text = api.reply_text("Issue", self.issue.name, self.customer_article)
			self.assertIn("toner cartridge", text["html"])
			self.assertNotIn("Unreviewed", text["html"])
			with self.assertRaises(frappe.PermissionError) as refused:
				api.reply_text("Issue", self.issue.name, self.internal_article)
		self.assertIn("Internal", str(refused.exception))

	def test_a_contact_with_no_customer_receives_public_articles_only(self):
		walk_in = make_issue(f"Printer {self.term} blank", raised_by="walkin@example.com")
		with as_user(self.agent), self.assertRaises(frappe.PermissionError):
			api.reply_text("Issue", walk_in.name, self.customer_article)

	def test_create_article_from_a_solved_ticket_removes_personal_data(self):
		solved = make_issue(
			f"Toner {self.term} smudges at Globex",
			"<p>Maria Lopez (maria.lopez@globex.example.com, +1 415 555 0134) reports smudges "
			"after order SAL-ORD-2026-00321, invoice number 2026-0042.</p>",
			customer=self.customer,
			contact=self.contact,
			raised_by=f"{self.term}@customer.example.com",
			status="Resolved",
			resolution="<p>Clean the fuser. Call Maria on +1 415 555 0134 if it persists.</p>",
		)
		with as_user(self.agent):
			result = api.create_article("Issue", solved.name, confirm_new=1)
		article = frappe.get_doc("KM Article", result["article"])
		text = frappe.as_json(article.as_dict())
		for datum in (
			"Maria",
			"Lopez",
			"maria.lopez@globex.example.com",
			"415 555 0134",
			"SAL-ORD-2026-00321",
			"2026-0042",
		):
			self.assertNotIn(datum, text, datum)
		self.assertIn("Clean the fuser", article.resolution)
		self.assertEqual((article.status, article.article_owner), ("Draft", self.agent))
		kinds = {r["kind"] for r in result["removed"]}
		self.assertTrue({"email", "phone", "name", "document_number"} <= kinds, kinds)
		self.assertTrue(
			frappe.db.exists(
				"KM Article Link",
				{"article": article.name, "ticket": solved.name, "link_type": "Created From"},
			)
		)
		with as_user(self.agent):
			self.assertEqual(api.create_article("Issue", solved.name)["article"], article.name)

	def test_create_article_needs_a_solved_ticket_and_a_knowledge_role(self):
		with as_user(self.agent), self.assertRaises(frappe.ValidationError):
			api.create_article("Issue", self.issue.name)
		self.issue.reload()
		self.issue.status = "Closed"
		self.issue.save(ignore_permissions=True)
		support_only = make_user("supportonly", "Support Team")
		with as_user(support_only), self.assertRaises(frappe.PermissionError):
			api.create_article("Issue", self.issue.name)

	def test_similar_resolved_tickets_follow_the_readers_ticket_permissions(self):
		solved = make_issue(
			f"Printer {self.term} blank output",
			f"<p>The {self.term} printer output is blank.</p>",
			customer=self.customer,
			status="Closed",
			resolution=f"<p>Replaced the {self.term} toner.</p>",
		)
		shown = {t["ticket"]: t for t in self.suggest()["similar"]}
		self.assertIn(solved.name, shown)
		self.assertIn("toner", shown[solved.name]["resolution_html"])
		self.assertNotIn(self.issue.name, shown)  # not the ticket itself (still open)
		# a sales user cannot read Issues at all; an agent restricted to another customer's tickets
		# (a User Permission) does not see this customer's
		with as_user(make_user("salesonly", "Sales User")):
			self.assertEqual(similar.similar_tickets(f"printer {self.term} blank"), [])
		other_customer, _contact = make_customer(f"Other {self.term}", f"other-{self.term}@example.com")
		restricted = make_user(f"restricted-{self.term}", "Support Team")
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": restricted,
				"allow": "Customer",
				"for_value": other_customer,
			}
		).insert(ignore_permissions=True)
		with as_user(restricted):
			self.assertNotIn(
				solved.name, [t["ticket"] for t in similar.similar_tickets(f"printer {self.term} blank")]
			)

	def test_a_ticket_deleted_before_the_index_catches_up_is_left_out(self):
		solved = make_issue(
			f"Printer {self.term} blank sheets",
			f"<p>The {self.term} printer gives blank sheets.</p>",
			customer=self.customer,
			status="Closed",
			resolution=f"<p>Replaced the {self.term} toner.</p>",
		)
		self.assertIn(solved.name, [t["ticket"] for t in self.suggest()["similar"]])
		# gone from the database while its removal from the index still waits in the queue
		frappe.db.delete("Issue", solved.name)
		self.addCleanup(ticket_index.index_ticket, "Issue", solved.name, removed=True)  # the queued job
		data = self.suggest()
		self.assertNotIn(solved.name, [t["ticket"] for t in data["similar"]])
		self.assertIn(self.customer_article, [r["article"] for r in data["results"]])

	def test_the_panel_keeps_working_while_the_search_engine_is_away(self):
		from unittest.mock import patch

		from km_crm.search import engines
		from km_crm.search.backend import SearchBackendError

		class Away:
			def __getattr__(self, name):
				def away(*args, **kwargs):
					raise SearchBackendError("the engine did not answer")

				return away

		with (
			patch.object(engines, "backend", return_value=Away()),
			patch.object(engines, "ticket_backend", return_value=Away()),
		):
			data = self.suggest()
		self.assertIn(self.customer_article, [r["article"] for r in data["results"]])  # title match
		self.assertEqual(data["similar"], [])

	def test_a_customer_cannot_use_the_ticket_panel(self):
		portal = make_portal_user("panelcustomer", "Customer")
		with as_user(portal), self.assertRaises(frappe.PermissionError):
			api.suggest("Issue", self.issue.name)
		with as_user(portal), self.assertRaises(frappe.PermissionError):
			api.link("Issue", self.issue.name, self.customer_article, "Solved")


class TestTicketLinkMigration(KMTestCase):
	"""Adding the old column commits (DDL), so this test keeps to itself."""

	fixture = True

	def setUp(self):
		super().setUp()
		self.customer_article = self.f.published(audience="Customer", title=f"Fax {self.term} jams")
		self.issue = make_issue(f"Fax {self.term} jams")
		self.addCleanup(self.remove_committed)

	def remove_committed(self):
		"""The DDL committed the article and the ticket: remove them, so the site's own search and
		lists do not fill up with a live article per run."""
		frappe.db.delete("KM Article Link", {"article": self.customer_article})
		frappe.db.delete("KM Article Version", {"article": self.customer_article})
		frappe.db.delete("KM Article", self.customer_article)
		frappe.db.delete("Issue", self.issue.name)
		frappe.db.commit()

	def test_the_old_resolved_with_article_field_becomes_a_link(self):
		from frappe.custom.doctype.custom_field.custom_field import create_custom_field

		from km_crm.patches.v1 import ticket_links_from_km_article

		create_custom_field(
			"Issue", {"fieldname": "km_article", "fieldtype": "Link", "options": "KM Article", "label": "Old"}
		)
		frappe.db.set_value("Issue", self.issue.name, "km_article", self.customer_article)
		ticket_links_from_km_article.execute()
		frappe.clear_cache(doctype="Issue")
		self.assertTrue(
			frappe.db.exists(
				"KM Article Link",
				{"article": self.customer_article, "ticket": self.issue.name, "link_type": "Solved"},
			)
		)
		self.assertFalse(frappe.db.exists("Custom Field", {"dt": "Issue", "fieldname": "km_article"}))
		self.assertEqual(frappe.db.get_value("KM Article", self.customer_article, "reuse_count"), 1)


class TestHelpdeskTicketKnowledge(KMTestCase):
	"""The same panel on Helpdesk's HD Ticket (skipped, with the reason, on a site without Helpdesk)."""

	fixture = True

	def setUp(self):
		super().setUp()
		if not frappe.db.exists("DocType", "HD Ticket"):
			self.skipTest("Helpdesk is not installed on this site")
		self.article = self.f.published(
			audience="Public",
			title=f"Router {self.term} drops the connection",
			resolution=f"<p>Update the {self.term} router firmware.</p>",
		)
		self.agent = make_user("hdagent", "Agent", "KM Candidate")

	def ticket(self, subject, status=None, resolution=None):
		doc = frappe.get_doc(
			{
				"doctype": "HD Ticket",
				"subject": subject,
				"description": f"<p>{subject}</p>",
				"raised_by": "hd@example.com",
			}
		).insert(ignore_permissions=True)
		if status:
			doc.reload()
			doc.resolution_details = resolution
			doc.status = status
			doc.save(ignore_permissions=True)
		return doc

	def test_an_agent_links_an_article_and_sees_similar_resolved_tickets(self):
		solved = self.ticket(
			f"Router {self.term} keeps dropping wifi", "Closed", f"<p>Updated the {self.term} firmware.</p>"
		)
		open_ticket = self.ticket(f"Router {self.term} drops the connection every hour")
		with as_user(self.agent):
			data = api.suggest("HD Ticket", open_ticket.name, with_labels=1)
			api.link("HD Ticket", open_ticket.name, self.article, "Solved")
		self.assertEqual(data["results"][0]["article"], self.article)
		self.assertIn(solved.name, [t["ticket"] for t in data["similar"]])
		self.assertEqual(data["labels"]["solved"], "Solved it")
		self.assertTrue(
			frappe.db.exists("KM Article Link", {"ticket_doctype": "HD Ticket", "ticket": open_ticket.name})
		)

	def test_the_agent_ui_gets_the_panel_as_an_hd_form_script(self):
		script = frappe.get_doc("HD Form Script", "km_crm Knowledge Panel")
		self.assertEqual((script.dt, script.apply_to, script.enabled), ("HD Ticket", "Form", 1))
		self.assertIn("function setupForm", script.script)
		self.assertIn("km_crm.api.tickets.", script.script)

import frappe

from km_crm.api import articles as api
from km_crm.exceptions import ImmutableRecordError, LifecycleError
from km_crm.governance import actions
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user

test_ignore = ["Item"]

HOSTILE = {
	"issue": '<p>Printer <script>alert("x")</script>jams<img src=x onerror="alert(1)"></p>',
	"environment": '<a href="javascript:alert(1)">setup</a><iframe src="https://evil.example"></iframe>',
	"resolution": '<table><tr><td onclick="steal()">Step 1</td></tr></table><pre><code>lpstat -p</code></pre>',
	"cause": '<svg onload="alert(1)"><circle/></svg><b>Worn roller</b>',
}


class TestKMArticle(KMTestCase):
	fixture = True

	def publish(self, article: str, review: str):
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)

	def test_scripts_and_event_handlers_are_gone_from_every_rich_field_after_save(self):
		doc = self.f.article(**HOSTILE)
		stored = frappe.db.get_value("KM Article", doc.name, list(HOSTILE), as_dict=True)
		for field, html in stored.items():
			lowered = html.lower()
			for bad in (
				"<script",
				"onerror",
				"onclick",
				"onload",
				"javascript:",
				"<iframe",
				"<svg",
				"alert(",
			):
				self.assertNotIn(bad, lowered, f"{bad} survived in {field}: {html}")
		self.assertIn("<table>", stored.resolution)
		self.assertIn("<code>lpstat -p</code>", stored.resolution)
		self.assertIn("<b>Worn roller</b>", stored.cause)

	def test_status_cannot_be_changed_by_editing_the_form(self):
		doc = self.f.article()
		doc.status = "Published"
		with as_user(self.f.author), self.assertRaises(LifecycleError):
			doc.save()
		self.assertEqual(frappe.db.get_value("KM Article", doc.name, "status"), "Draft")

	def test_editing_a_published_article_drafts_the_next_version_while_the_old_stays_live(self):
		article, review = self.f.submitted()
		self.publish(article, review)
		doc = self.f.edit(article, resolution="<p>Replace the toner and clean the drum.</p>")
		doc.reload()
		self.assertEqual((doc.status, doc.version, doc.published_version), ("Draft", 2, f"{article}-v1"))
		live = frappe.get_doc("KM Article Version", f"{article}-v1")
		self.assertIn("Replace the toner cartridge", live.snapshot)
		self.assertNotIn("clean the drum", live.snapshot)

	def test_changing_the_audience_of_a_live_article_needs_a_new_review(self):
		article, review = self.f.submitted(audience="Customer")
		self.publish(article, review)
		self.f.edit(article, audience="Public")
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), "Draft")

	def test_governance_fields_cannot_be_set_through_the_api_even_by_administrator(self):
		article, review = self.f.submitted()
		for field, value in (
			("status", "Published"),
			("current_review", None),
			("committee", None),
			("version", 7),
		):
			with self.assertRaises(LifecycleError):
				frappe.client.set_value("KM Article", article, field, value)
		with self.assertRaises(ImmutableRecordError):
			frappe.client.set_value("KM Review", review, "status", "Approved")
		self.assertEqual(frappe.db.get_value("KM Review", review, "status"), "Open")
		self.assertEqual(frappe.db.get_value("KM Article", article, "current_review"), review)

	def test_content_is_frozen_while_in_review(self):
		article, _review = self.f.submitted()
		with as_user(self.f.author), self.assertRaises(LifecycleError):
			doc = frappe.get_doc("KM Article", article)
			doc.resolution = "<p>sneaky change</p>"
			doc.save()

	def test_publish_compare_and_restore_keep_every_version(self):
		article, review = self.f.submitted()
		self.publish(article, review)
		self.f.edit(article, resolution="<p>Clean the drum with a dry cloth.</p>")
		with as_user(self.f.author):
			review2 = actions.submit_for_review(article)
		self.publish(article, review2)
		v1, v2 = f"{article}-v1", f"{article}-v2"
		self.assertEqual(frappe.db.get_value("KM Article", article, "published_version"), v2)

		with as_user(self.f.author):
			html = api.compare_versions(article, v1, v2)
		self.assertIn("km-diff-del", html)
		self.assertIn("km-diff-ins", html)
		self.assertIn("toner", html)
		self.assertIn("drum", html)

		with as_user(self.f.author):
			api.restore_version(article, v1)
		doc = frappe.get_doc("KM Article", article)
		self.assertEqual((doc.status, doc.version, doc.published_version), ("Draft", 3, v2))
		self.assertIn("toner cartridge", doc.resolution)
		self.assertTrue(doc.review_by, "restoring old content keeps today's review date")
		self.assertEqual(frappe.db.count("KM Article Version", {"article": article}), 2)
		self.assertIn("Restored", [e["event_type"] for e in api.get_history(article)["events"]])

	def test_a_frozen_version_cannot_be_edited_or_deleted_even_by_administrator(self):
		article, review = self.f.submitted()
		self.publish(article, review)
		version = frappe.get_doc("KM Article Version", f"{article}-v1")
		version.title = "rewritten"
		with self.assertRaises(ImmutableRecordError):
			version.save()
		with self.assertRaises(ImmutableRecordError):
			frappe.delete_doc("KM Article Version", version.name)

	def test_audit_events_cannot_be_rewritten_and_tampering_is_detected(self):
		article, _review = self.f.submitted()
		event = frappe.get_doc("KM Audit Event", {"article": article, "event_type": "Submitted"})
		event.details = "nothing happened"
		with self.assertRaises(ImmutableRecordError):
			event.save()
		with self.assertRaises(ImmutableRecordError):
			frappe.delete_doc("KM Audit Event", event.name)
		self.assertEqual(api.get_history(article)["tampered"], [])
		frappe.db.set_value("KM Audit Event", event.name, "details", "forged", update_modified=False)
		self.assertEqual(api.get_history(article)["tampered"], [event.name])

	def test_a_candidate_edits_only_their_own_articles(self):
		theirs = self.f.article(owner=self.f.author)
		with as_user(self.f.candidate):
			self.assertFalse(frappe.has_permission("KM Article", "write", theirs.name))
			own = self.f.article(owner=self.f.candidate)
			self.assertTrue(frappe.has_permission("KM Article", "write", own.name))

	def test_an_article_with_review_history_cannot_be_deleted(self):
		article, _review = self.f.submitted()
		with self.assertRaises(frappe.ValidationError):
			frappe.delete_doc("KM Article", article)
		self.assertTrue(frappe.db.exists("KM Article", article))

	def test_translation_must_be_in_another_language(self):
		original = self.f.article(language="en")
		with self.assertRaises(frappe.ValidationError):
			self.f.article(language="en", translation_of=original.name)
		translated = self.f.article(language="zh", title="打印机打印空白页", translation_of=original.name)
		self.assertEqual(translated.translation_of, original.name)

	def test_review_due_articles_become_needs_review_with_a_todo_for_the_owner(self):
		from km_crm.knowledge import review_due

		article, review = self.f.submitted()
		self.publish(article, review)
		frappe.db.set_value(
			"KM Article", article, "review_by", frappe.utils.add_days(frappe.utils.today(), -1)
		)
		review_due.flag_article(article)
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), "Needs Review")
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_name": article, "allocated_to": self.f.author, "status": "Open"}
			)
		)

	def test_the_owner_changes_only_through_the_audited_action_and_never_in_review(self):
		doc = self.f.article()
		doc.article_owner = self.f.outsider
		with as_user(self.f.author), self.assertRaises(LifecycleError):
			doc.save()
		with as_user(self.f.outsider), self.assertRaises(frappe.PermissionError):
			api.change_owner(doc.name, self.f.outsider)
		with as_user(self.f.author):
			api.change_owner(doc.name, self.f.outsider, "Moving teams")
		self.assertEqual(frappe.db.get_value("KM Article", doc.name, "article_owner"), self.f.outsider)
		events = frappe.get_all("KM Audit Event", filters={"article": doc.name}, pluck="event_type")
		self.assertIn("Owner Changed", events)

		with as_user(self.f.outsider):
			review = actions.submit_for_review(doc.name)
		with as_user(self.f.escalation), self.assertRaises(LifecycleError):
			api.change_owner(doc.name, self.f.members[0])  # would turn a voter into the author mid-round
		self.assertEqual(frappe.db.get_value("KM Review", review, "eligible_voters"), 3)

	def test_a_new_article_belongs_to_its_writer(self):
		with as_user(self.f.author), self.assertRaises(frappe.ValidationError):
			self.f.article(owner=self.f.author, article_owner=self.f.members[0])

	def test_rule_errors_are_shown_in_the_users_language(self):
		frappe.local.lang = "zh"
		self.addCleanup(setattr, frappe.local, "lang", "en")
		doc = self.f.article()
		doc.review_by, doc.expires_on = "2030-06-01", "2030-05-31"
		with as_user(self.f.author), self.assertRaises(frappe.ValidationError) as raised:
			doc.save()
		self.assertIn("过期日期（2030-05-31）不能早于复审日期（2030-06-01）", str(raised.exception))

"""What a committee member sees on a review round, and what the article shows while it is reviewed
and after the committee decides."""

import frappe

from km_crm.api import articles as article_api
from km_crm.api import reviews as review_api
from km_crm.exceptions import LifecycleError
from km_crm.governance import actions
from km_crm.knowledge import audit
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import SECTIONS, as_user, make_portal_user, make_user

ADDED = "Shake the cartridge before you fit it."


class TestReviewContent(KMTestCase):
	fixture = True

	def new_version_in_review(self) -> tuple[str, str]:
		"""A live v1 whose v2 (one sentence added to the resolution) is in review."""
		article = self.f.published()
		self.f.edit(article, resolution=SECTIONS["resolution"].replace("</p>", f" {ADDED}</p>"))
		with as_user(self.f.author):
			review = actions.submit_for_review(article, "adds a step")
		return article, review

	def content_as(self, user: str, review: str) -> dict:
		with as_user(user):
			return review_api.get_review_content(review)

	def test_a_member_reads_the_draft_under_review_and_only_what_changed(self):
		article, review = self.new_version_in_review()
		content = self.content_as(self.f.members[0], review)

		resolution = next(s for s in content["sections"] if s["field"] == "resolution")
		self.assertIn(ADDED, resolution["html"])
		self.assertEqual(
			[s["field"] for s in content["sections"]], ["issue", "environment", "resolution", "cause"]
		)
		self.assertEqual(content["compared_with"], f"{article}-v1")
		self.assertEqual(content["changed_fields"], ["Resolution"])
		self.assertIn(f'<ins class="km-diff-ins"> {ADDED}</ins>', content["changes_html"])
		for unchanged in ("The toner ran out.", "Office printers on the second floor."):
			self.assertNotIn(unchanged, content["changes_html"])

	def test_a_first_version_has_content_and_no_changes(self):
		_article, review = self.f.submitted()
		content = self.content_as(self.f.members[1], review)
		self.assertIsNone(content["compared_with"])
		self.assertEqual(content["changes_html"], "")
		self.assertIn("Replace the toner cartridge", content["sections"][2]["html"])

	def test_content_is_cleaned_again_on_the_way_out(self):
		_article, review = self.f.submitted()
		frappe.db.set_value(
			"KM Article",
			frappe.db.get_value("KM Review", review, "article"),
			"cause",
			'<p>Toner<img src=x onerror="alert(1)"><script>alert(2)</script></p>',
		)
		cause = next(
			s for s in self.content_as(self.f.members[0], review)["sections"] if s["field"] == "cause"
		)
		self.assertNotIn("onerror", cause["html"])
		self.assertNotIn("<script", cause["html"])

	def test_non_members_portal_users_and_guests_get_nothing(self):
		_article, review = self.new_version_in_review()
		sales = make_user("review-sales", "Sales User")
		customer = make_portal_user("review-customer", "Customer")
		for user in (sales, customer, "Guest"):
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				self.content_as(user, review)

	def test_a_round_that_published_shows_the_version_it_published_against_the_one_before(self):
		article, review = self.new_version_in_review()
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)
		content = self.content_as(self.f.members[2], review)
		self.assertEqual(content["compared_with"], f"{article}-v1")
		self.assertEqual(content["changed_fields"], ["Resolution"])
		self.assertIn(f"{article}-v2", content["note"])


class TestArticleInReview(KMTestCase):
	fixture = True

	def test_saving_content_in_review_is_refused_with_the_review_named(self):
		article, review = self.f.submitted()
		with as_user(self.f.author):
			doc = frappe.get_doc("KM Article", article)
			doc.resolution = "<p>Something else.</p>"
			with self.assertRaises(LifecycleError) as caught:
				doc.save()
		self.assertIn(review, str(caught.exception))
		self.assertIn("Withdraw the review", str(caught.exception))
		self.assertIn("Replace the toner", frappe.db.get_value("KM Article", article, "resolution"))

	def test_the_voters_todo_leads_with_the_article_title(self):
		_article, review = self.f.submitted(title="Scanner saves empty PDFs")
		descriptions = frappe.get_all(
			"ToDo", filters={"reference_type": "KM Review", "reference_name": review}, pluck="description"
		)
		self.assertEqual(len(descriptions), 3)
		for description in descriptions:
			self.assertTrue(description.startswith("Scanner saves empty PDFs"), description)

	def test_a_committee_approval_is_published_by_the_decision_not_the_last_voter(self):
		article = self.f.published()
		doc = frappe.get_doc("KM Article", article)
		review = frappe.db.get_value("KM Review", {"article": article}, "name")
		self.assertEqual(doc.published_review, review)
		self.assertFalse(doc.published_by)
		version = frappe.db.get_value("KM Article Version", doc.published_version, ["review", "published_by"])
		self.assertEqual(version, (review, None))
		decision = doc.published_decision()
		self.assertEqual(
			(decision.committee, decision.approvals, decision.eligible_voters),
			(self.f.committee.name, 2, 3),
		)

	def test_a_direct_publication_names_the_publisher(self):
		with as_user(self.f.publisher):
			doc = frappe.get_doc(
				{
					"doctype": "KM Article",
					"title": "Internal note on toner stock",
					"audience": "Internal",
					"category": self.f.category,
					**SECTIONS,
				}
			).insert()
			actions.publish_directly(doc.name)
		doc.reload()
		self.assertEqual(doc.published_by, self.f.publisher)
		self.assertFalse(doc.published_review)

	def test_the_patch_names_the_decision_of_articles_published_before(self):
		from km_crm.patches.v1 import published_by_committee

		article = self.f.published()
		review = frappe.db.get_value("KM Article", article, "published_review")
		frappe.db.set_value(
			"KM Article", article, {"published_review": None, "published_by": self.f.members[1]}
		)
		published_by_committee.execute()
		self.assertEqual(
			frappe.db.get_value("KM Article", article, ["published_review", "published_by"]), (review, None)
		)

	def test_history_names_people_and_says_the_chain_verifies(self):
		article = self.f.published()
		with as_user(self.f.author):
			history = article_api.get_history(article)
		self.assertEqual(history["tampered"], [])
		self.assertEqual(len(history["events"]), 5)
		by = {e["event_type"]: e["actor_name"] for e in history["events"]}
		self.assertFalse([n for n in by.values() if "@" in n], by)
		self.assertEqual(by["Vote"], "member1")  # the second vote, by its member's name
		self.assertEqual((by["Decision"], by["Published"]), (self.f.committee.name,) * 2)

		event = frappe.get_all("KM Audit Event", filters={"article": article}, pluck="name")[1]
		frappe.db.set_value("KM Audit Event", event, "details", "rewritten", update_modified=False)
		self.assertEqual(audit.verify_chain(article)[0], event)

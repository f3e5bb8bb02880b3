import frappe
from frappe.utils import add_to_date, now_datetime

from km_crm.exceptions import (
	AuthorCannotVote,
	ImmutableRecordError,
	NoCommitteeError,
	NotACommitteeMember,
	NotAllowedToPublish,
	VoteError,
)
from km_crm.governance import actions, tasks
from km_crm.knowledge import audit
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import GovernanceFixture, as_user, make_article, make_category

test_ignore = ["Item"]


class TestKMReview(KMTestCase):
	fixture = True

	def test_two_approvals_publish_the_article_and_freeze_a_version(self):
		article, review = self.f.submitted()
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), "In Review")
		self.f.vote(self.f.members[0], review)
		self.assertEqual(frappe.db.get_value("KM Review", review, "status"), "Open")
		self.f.vote(self.f.members[1], review)

		self.assertEqual(frappe.db.get_value("KM Review", review, "status"), "Approved")
		doc = frappe.get_doc("KM Article", article)
		self.assertEqual(doc.status, "Published")
		self.assertEqual(doc.published_version, f"{article}-v1")
		events = [e.event_type for e in audit.history(article)]
		self.assertEqual(events, ["Submitted", "Vote", "Vote", "Decision", "Published"])
		self.assertEqual(audit.verify_chain(article), [])

	def test_non_member_author_and_submitter_cannot_vote(self):
		_article, review = self.f.submitted()
		with self.assertRaises(NotACommitteeMember):
			self.f.vote(self.f.outsider, review)
		with self.assertRaises(AuthorCannotVote):
			self.f.vote(self.f.author, review)
		self.assertEqual(frappe.db.count("KM Review Vote", {"review": review}), 0)

	def test_author_in_committee_is_not_counted_and_cannot_vote(self):
		frappe.get_doc("User", self.f.members[0]).add_roles("KM Contributor")
		article = make_article(self.f.members[0], category=self.f.category)
		with as_user(self.f.members[0]):
			review = actions.submit_for_review(article.name)
		self.assertEqual(frappe.db.get_value("KM Review", review, "eligible_voters"), 2)
		with self.assertRaises(AuthorCannotVote):
			self.f.vote(self.f.members[0], review)

	def test_a_cast_vote_cannot_be_changed_edited_or_deleted(self):
		_article, review = self.f.submitted()
		self.f.vote(self.f.members[0], review, "Request Changes", "add the model number")
		with self.assertRaises(VoteError):
			self.f.vote(self.f.members[0], review, "Approve")
		vote = frappe.get_doc("KM Review Vote", {"review": review})
		vote.decision = "Approve"
		with self.assertRaises(ImmutableRecordError):
			vote.save(ignore_permissions=True)
		with self.assertRaises(ImmutableRecordError):
			frappe.delete_doc("KM Review Vote", vote.name, ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("KM Review Vote", vote.name, "decision"), "Request Changes")

	def test_request_changes_returns_the_article_to_draft_with_comments_for_the_author(self):
		article, review = self.f.submitted()
		self.f.vote(self.f.members[0], review, "Request Changes", "Say which printer models.")
		self.f.vote(self.f.members[1], review, "Reject", "Duplicate of an existing article.")
		self.assertEqual(frappe.db.get_value("KM Review", review, "status"), "Changes Requested")
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), "Draft")
		with as_user(self.f.author):
			from km_crm.api.reviews import get_votes

			comments = [v.comment for v in get_votes(review)]
		self.assertIn("Say which printer models.", comments)
		self.assertIn("Duplicate of an existing article.", comments)

	def test_votes_after_the_round_closed_are_refused(self):
		_article, review = self.f.submitted()
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)
		with self.assertRaises(VoteError):
			self.f.vote(self.f.members[2], review)
		self.assertEqual(frappe.db.count("KM Audit Event", {"review": review, "event_type": "Decision"}), 1)

	def test_a_comment_is_required_to_request_changes(self):
		_article, review = self.f.submitted()
		with self.assertRaises(VoteError):
			self.f.vote(self.f.members[0], review, "Reject", "  ")

	def test_candidate_and_contributor_cannot_publish_customer_articles_directly(self):
		article = self.f.article(owner=self.f.candidate)
		with as_user(self.f.candidate), self.assertRaises(NotAllowedToPublish):
			actions.publish_directly(article.name)
		with as_user(self.f.publisher), self.assertRaises(NotAllowedToPublish):
			actions.publish_directly(article.name)
		self.assertEqual(frappe.db.get_value("KM Article", article.name, "status"), "Draft")

	def test_publisher_may_publish_internal_articles_when_the_committee_allows_it(self):
		article = self.f.article(owner=self.f.publisher, audience="Internal")
		with as_user(self.f.publisher):
			actions.publish_directly(article.name)
		self.assertEqual(frappe.db.get_value("KM Article", article.name, "status"), "Published")

	def test_article_outside_any_committee_scope_gets_a_clear_error(self):
		# the site's own committees (a demo committee covers every category) stay out of this test
		for name in frappe.get_all("KM Committee", filters={"enabled": 1}, pluck="name"):
			frappe.db.set_value("KM Committee", name, "enabled", 0)
			self.addCleanup(frappe.db.set_value, "KM Committee", name, "enabled", 1)
		article = make_article(self.f.author, category=make_category(), audience="Public")
		with as_user(self.f.author), self.assertRaises(NoCommitteeError):
			actions.submit_for_review(article.name)

	def test_expired_round_is_escalated_and_cannot_be_voted_on(self):
		article, review = self.f.submitted()
		self.f.vote(self.f.members[0], review)
		frappe.db.set_value("KM Review", review, "deadline", add_to_date(now_datetime(), seconds=-1))
		tasks._close_one(review)
		doc = frappe.get_doc("KM Review", review)
		self.assertEqual(doc.status, "Expired")
		self.assertEqual(doc.escalated_to, self.f.escalation)
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_name": review, "allocated_to": self.f.escalation, "status": "Open"}
			)
		)
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), "In Review")
		with self.assertRaises(VoteError):
			self.f.vote(self.f.members[1], review)

	def test_member_leaving_mid_round_stops_counting_and_the_round_can_decide(self):
		f = GovernanceFixture(min_approvals=0, percent=100)
		_article, review = f.submitted()
		f.vote(f.members[0], review)
		f.vote(f.members[1], review)
		self.assertEqual(frappe.db.get_value("KM Review", review, "status"), "Open")
		f.committee.reload()
		f.committee.set("members", [row for row in f.committee.members if row.user != f.members[2]])
		f.committee.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("KM Review", review, "status"), "Approved")

	def test_retiring_goes_through_a_review(self):
		article, review = self.f.submitted()
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)
		with as_user(self.f.author):
			retire_review = actions.request_retirement(article, "Printer model discontinued")
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), "Published")
		self.f.vote(self.f.members[0], retire_review)
		self.f.vote(self.f.members[2], retire_review)
		doc = frappe.get_doc("KM Article", article)
		self.assertEqual(doc.status, "Archived")
		self.assertFalse(doc.published_version)
		self.assertIn("Retired", [e.event_type for e in audit.history(article)])

	def test_voters_get_assignments_that_close_when_they_vote(self):
		_article, review = self.f.submitted()
		member = self.f.members[0]
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": review, "allocated_to": member, "status": "Open"})
		)
		self.f.vote(member, review)
		self.assertFalse(
			frappe.db.exists("ToDo", {"reference_name": review, "allocated_to": member, "status": "Open"})
		)

	def test_withdrawing_cancels_the_round(self):
		article, review = self.f.submitted()
		with as_user(self.f.author):
			actions.withdraw(article)
		self.assertEqual(frappe.db.get_value("KM Review", review, "status"), "Cancelled")
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), "Draft")
		with self.assertRaises(VoteError):
			self.f.vote(self.f.members[0], review)

	def test_pending_voters_are_reminded_once_per_interval(self):
		_article, review = self.f.submitted()
		self.f.vote(self.f.members[0], review)
		frappe.db.set_value("KM Review", review, "opened_on", add_to_date(now_datetime(), days=-2))

		def reminders(member):
			return frappe.db.count(
				"Notification Log",
				{"for_user": member, "document_name": review, "subject": ("like", "%Reminder%")},
			)

		tasks.remind_pending_voters()
		self.assertEqual([reminders(m) for m in self.f.members], [0, 1, 1])
		tasks.remind_pending_voters()
		self.assertEqual([reminders(m) for m in self.f.members], [0, 1, 1])

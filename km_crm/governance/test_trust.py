"""Governance records are made only by the governance actions: REST cannot forge a vote, an audit
event or a version (Administrator included); a vote row put in behind the app never counts; the
audit trail's keyed hashes catch rows rewritten in the database, hashes recomputed included."""

import hashlib
import json

import frappe
from frappe.utils import now_datetime

from km_crm.knowledge import audit
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user


class TestGovernanceTrust(KMTestCase):
	fixture = True

	def test_rest_cannot_create_votes_audit_events_or_versions_even_as_administrator(self):
		article, review = self.f.submitted()
		forged = [
			{
				"doctype": "KM Review Vote",
				"review": review,
				"article": article,
				"voter": self.f.members[0],
				"decision": "Approve",
			},
			{
				"doctype": "KM Audit Event",
				"event_type": "Vote",
				"article": article,
				"review": review,
				"details": "x",
			},
			{
				"doctype": "KM Article Version",
				"article": article,
				"version": 9,
				"title": "Forged",
				"snapshot": "{}",
			},
		]
		for doc in forged:
			with self.assertRaises(frappe.PermissionError, msg=doc["doctype"]):
				frappe.client.insert(doc)
		self.assertFalse(frappe.db.exists("KM Review Vote", {"review": review}))
		# the member still votes, and the vote counts
		self.f.vote(self.f.members[0], review)
		self.assertEqual(frappe.db.get_value("KM Review", review, "approvals"), 1)

	def test_a_vote_row_put_in_behind_the_app_never_counts_nor_blocks_the_member(self):
		article, review = self.f.submitted()
		member = self.f.members[0]
		frappe.db.sql(
			"""insert into `tabKM Review Vote` (name, review, article, voter, decision, cast_at, review_voter,
			creation, modified, owner, modified_by, docstatus)
			values (%s, %s, %s, %s, 'Approve', %s, %s, %s, %s, 'Administrator', 'Administrator', 0)""",
			(
				"forged-" + frappe.generate_hash(length=6),
				review,
				article,
				member,
				now_datetime(),
				f"{review}:{member}",
				now_datetime(),
				now_datetime(),
			),
		)
		self.f.vote(self.f.members[1], review)
		self.assertEqual(
			frappe.db.get_value("KM Review", review, "approvals"), 1
		)  # the forged row is ignored
		self.assertEqual(frappe.db.get_value("KM Review", review, "status"), "Open")
		self.f.vote(member, review, "Request Changes", "The steps are incomplete.")
		self.assertEqual(
			frappe.get_all("KM Review Vote", filters={"review": review, "voter": member}, pluck="decision"),
			["Request Changes"],
		)
		self.assertIn(
			"Vote Discarded", frappe.get_all("KM Audit Event", filters={"review": review}, pluck="event_type")
		)

	def test_the_audit_trail_catches_rows_rewritten_in_the_database_with_recomputed_hashes(self):
		article = self.f.published()
		self.assertEqual(audit.verify_chain(article), [])
		events = frappe.get_all(
			"KM Audit Event",
			filters={"article": article},
			fields=["name", "prev_hash"],
			order_by="creation asc",
		)
		target = events[1]
		frappe.db.set_value(
			"KM Audit Event", target.name, "details", "Approved without reading", update_modified=False
		)
		row = frappe.db.get_value("KM Audit Event", target.name, ["*"], as_dict=True)
		payload = {f: row.get(f) for f in audit.PAYLOAD_FIELDS}
		payload["occurred_on"] = str(payload["occurred_on"])
		body = f"{target.prev_hash}|{json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)}"
		# whoever rewrites the row recomputes its hash without the site's key (kept outside the database)
		frappe.db.set_value(
			"KM Audit Event",
			target.name,
			"event_hash",
			hashlib.sha256(body.encode()).hexdigest(),
			update_modified=False,
		)
		self.assertIn(target.name, audit.verify_chain(article))

	def test_the_audit_key_lives_in_the_site_config_not_the_database(self):
		key = frappe.get_site_config().get(audit.KEY_CONFIG)
		self.assertTrue(key and len(key) >= 32)
		self.assertFalse(frappe.db.sql("select 1 from `tabSingles` where value = %s", key))
		with as_user(self.f.author):
			self.assertEqual(audit.verify_chain(self.f.published()), [])

	def test_what_people_type_is_stored_as_typed_and_the_trail_stays_intact(self):
		typed = 'Use the <b> tag, not <script>, and keep "a < b"'
		article = self.f.article(title=typed, summary=typed, issue="<p>Issue</p><math><style>kept text")
		stored = frappe.db.get_value("KM Article", article.name, ["title", "summary", "issue"], as_dict=True)
		self.assertEqual((stored.title, stored.summary), (typed, typed))
		self.assertIn("kept text", stored.issue)
		self.assertNotIn("<style>", stored.issue)
		with as_user(article.article_owner):
			from km_crm.governance import actions

			review = actions.submit_for_review(article.name, typed)
		self.f.vote(self.f.members[0], review, "Request Changes", typed)
		self.assertEqual(frappe.db.get_value("KM Review Vote", {"review": review}, "comment"), typed)
		self.assertEqual(audit.verify_chain(article.name), [])

"""Two members cast the final vote at the same moment: the round decides exactly once."""

import threading

import frappe

from km_crm.governance import actions
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import GovernanceFixture


class TestConcurrentFinalVotes(KMTestCase):
	def test_two_simultaneous_final_votes_decide_once(self):
		frappe.set_user("Administrator")
		f = GovernanceFixture(min_approvals=2, members=3)
		article, review = f.submitted()
		f.vote(f.members[0], review)
		frappe.db.commit()  # the voting threads use their own connections
		site, sites_path = frappe.local.site, frappe.local.sites_path
		barrier = threading.Barrier(2)
		outcomes = []

		def vote(member):
			frappe.init(site=site, sites_path=sites_path)
			frappe.connect()
			frappe.flags.in_test = True  # the thread's own context: index like a test, never the site's
			try:
				frappe.set_user(member)
				barrier.wait(timeout=10)
				actions.cast_vote(review, "Approve", "ok")
				frappe.db.commit()
				outcomes.append("voted")
			except Exception as e:
				frappe.db.rollback()
				outcomes.append(type(e).__name__)
			finally:
				frappe.destroy()

		threads = [threading.Thread(target=vote, args=(m,)) for m in f.members[1:]]
		for t in threads:
			t.start()
		for t in threads:
			t.join(timeout=60)

		try:
			self.assertEqual(frappe.db.get_value("KM Review", review, "status"), "Approved")
			self.assertEqual(
				frappe.db.count("KM Audit Event", {"review": review, "event_type": "Decision"}), 1
			)
			self.assertEqual(frappe.db.count("KM Article Version", {"article": article}), 1)
			self.assertEqual(
				frappe.db.count("KM Audit Event", {"article": article, "event_type": "Published"}), 1
			)
			# one vote landed and closed the round; the other was told the round is closed
			self.assertEqual(sorted(outcomes), ["VoteError", "voted"])
		finally:
			_purge(article, review)


def _purge(article: str, review: str) -> None:
	"""Test clean-up below the app: the app itself never deletes audit records."""
	for doctype, field, value in (
		("KM Review Vote", "review", review),
		("KM Audit Event", "article", article),
		("KM Article Version", "article", article),
		("ToDo", "reference_name", review),
		("KM Review", "name", review),
		("KM Article", "name", article),
	):
		frappe.db.delete(doctype, {field: value})
	frappe.db.commit()

"""Experts in the ticket: who resolved tickets like this one, with evidence the agent may open, and
asking them to help assigns the ticket."""

import frappe
from frappe.desk.form import assign_to

from km_crm.api import experts as api
from km_crm.experts import evidence
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_customer, make_issue, make_user, word


class TestExperts(KMTestCase):
	def setUp(self):
		super().setUp()
		evidence.clear()
		self.addCleanup(evidence.clear)
		# words of this test only: evidence of other tests (same class, same site) cannot compete
		self.term, self.thing = word(), word()
		self.expert = make_user(f"expert-{word()}", "Support Team")
		self.agent = make_user(f"asker-{word()}", "Support Team")
		self.customer, _contact = make_customer(f"KM Experts {self.term}", f"{self.term}@example.com")

	def resolved_by(self, user: str, subject: str) -> str:
		issue = make_issue(subject, customer=self.customer)
		assign_to.add({"assign_to": [user], "doctype": "Issue", "name": issue.name}, ignore_permissions=True)
		issue.reload()
		issue.status = "Closed"
		issue.save(ignore_permissions=True)
		return issue.name

	def test_the_agent_who_solved_tickets_like_this_is_suggested_with_the_evidence(self):
		solved = [self.resolved_by(self.expert, f"{self.thing} {self.term} error {n}") for n in range(3)]
		ticket = make_issue(f"{self.thing} {self.term} error again").name
		with as_user(self.agent):
			found = api.for_ticket("Issue", ticket, limit=5)
		self.assertEqual(found[0]["user"], self.expert)
		self.assertEqual(found[0]["reason"], "resolved 3 tickets like this in the last 90 days")
		self.assertEqual({t["name"] for t in found[0]["tickets"]}, set(solved))

	def test_one_ticket_reads_in_the_singular(self):
		solved = self.resolved_by(self.expert, f"{self.thing} {self.term} error 1")
		ticket = make_issue(f"{self.thing} {self.term} error again").name
		with as_user(self.agent):
			found = api.for_ticket("Issue", ticket, limit=5)
		row = next(r for r in found if r["user"] == self.expert)
		self.assertEqual(row["reason"], "resolved 1 ticket like this in the last 90 days")
		self.assertEqual([t["name"] for t in row["tickets"]], [solved])

	def test_tickets_the_agent_may_not_open_are_not_shown_as_evidence(self):
		self.resolved_by(self.expert, f"{self.thing} {self.term} error 1")
		other, _c = make_customer(f"KM Experts other {self.term}", f"other-{self.term}@example.com")
		frappe.get_doc(
			{"doctype": "User Permission", "user": self.agent, "allow": "Customer", "for_value": other}
		).insert(ignore_permissions=True)  # the agent sees only the other customer's tickets
		ticket = make_issue(f"{self.thing} {self.term} error again", customer=other).name
		with as_user(self.agent):
			found = api.for_ticket("Issue", ticket, limit=5)
		row = next(r for r in found if r["user"] == self.expert)
		self.assertEqual(row["tickets"], [])
		# the asker learns why the evidence is missing, and nothing of the tickets themselves
		self.assertEqual(
			row["reason"], "resolved tickets like this (evidence hidden: you cannot open these tickets)"
		)

	def test_asking_the_expert_assigns_the_ticket_with_the_note(self):
		self.resolved_by(self.expert, f"{self.thing} {self.term} error 1")
		ticket = make_issue(f"{self.thing} {self.term} error again").name
		with as_user(self.agent):
			api.ask("Issue", ticket, self.expert, "You fixed the last one.")
			row = next(r for r in api.for_ticket("Issue", ticket, limit=5) if r["user"] == self.expert)
			self.assertTrue(row["assigned"])  # shown as on it, not offered again
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{
					"reference_type": "Issue",
					"reference_name": ticket,
					"allocated_to": self.expert,
					"description": ("like", "%You fixed the last one.%"),
				},
			)
		)
		with self.assertRaises(frappe.ValidationError):
			api.ask("Issue", ticket, make_user("km-not-an-agent"), "")

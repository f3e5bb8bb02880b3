"""Expert profiles (availability, declared skills, hidden skills, who may edit) and the outcome of
asking an expert."""

import frappe
from frappe.desk.form import assign_to
from frappe.utils import add_days, today

from km_crm import constants as C
from km_crm.api import experts as api
from km_crm.experts import evidence, expertise, profiles, requests, routing
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_category, make_issue, make_user, override_settings, word


class ExpertsCase(KMTestCase):
	def setUp(self):
		super().setUp()
		evidence.clear()
		self.addCleanup(evidence.clear)
		self.term, self.thing = word(), word()  # this test's own words
		self.expert = make_user(f"expert-{word()}", "Support Team")
		self.agent = make_user(f"asker-{word()}", "Support Team")

	def resolved_by(self, user: str, n: int = 1, ticket_type: str | None = None) -> list[str]:
		names = []
		for i in range(n):
			issue = make_issue(f"{self.thing} {self.term} error {i}", issue_type=ticket_type)
			assign_to.add(
				{"assign_to": [user], "doctype": "Issue", "name": issue.name}, ignore_permissions=True
			)
			issue.reload()
			issue.status = "Closed"
			issue.save(ignore_permissions=True)
			names.append(issue.name)
		return names

	def suggested(self, ticket: str) -> list[str]:
		evidence.clear()
		with as_user(self.agent):
			return [r["user"] for r in api.for_ticket("Issue", ticket, limit=5)]

	def profile(self, user: str, **values) -> str:
		name = profiles.ensure(user)
		doc = frappe.get_doc("KM Expert Profile", name)
		doc.update(values)
		doc.save(ignore_permissions=True)
		return name


class TestExpertProfiles(ExpertsCase):
	def test_an_expert_away_is_not_suggested_until_the_day_after_their_return(self):
		self.resolved_by(self.expert, 2)
		ticket = make_issue(f"{self.thing} {self.term} error again").name
		self.assertIn(self.expert, self.suggested(ticket))
		name = self.profile(self.expert, availability="Away", away_until=add_days(today(), 3))
		self.assertNotIn(self.expert, self.suggested(ticket))
		frappe.db.set_value("KM Expert Profile", name, "away_until", add_days(today(), -1))
		self.assertIn(self.expert, self.suggested(ticket))

	def test_a_declared_category_makes_someone_findable_with_the_reason(self):
		category = make_category()
		frappe.db.set_value("KM Category", category, "description", f"{self.thing} {self.term} troubles")
		self.profile(self.expert, declared_skills=[{"skill_type": "KM Category", "skill": category}])
		evidence.clear()
		with as_user(self.agent):
			found = api.for_question(f"{self.term} {self.thing} troubles again")
		row = next(r for r in found if r["user"] == self.expert)
		self.assertEqual(row["reason"], f"declares {category}")

	def test_a_person_hides_an_inferred_skill_from_others_and_edits_only_their_own_profile(self):
		ticket_type = frappe.get_doc({"doctype": "Issue Type", "__newname": f"KM {self.term}"}).insert(
			ignore_permissions=True
		)
		solved = self.resolved_by(self.expert, 2, ticket_type=ticket_type.name)
		name = profiles.ensure(self.expert)
		key = f"ticket_type:{ticket_type.name}"
		with as_user(self.agent):
			shown = {s["key"]: s for s in api.profile_skills(name)}
		self.assertEqual(shown[key]["pieces"], 2)
		self.assertEqual({x["name"] for x in shown[key]["evidence"]}, set(solved))
		with as_user(self.expert):
			api.set_skill_hidden(name, key, 1)
			self.assertTrue({s["key"]: s for s in api.profile_skills(name)}[key]["hidden"])
			doc = frappe.get_doc("KM Expert Profile", name)
			doc.availability = "Busy"
			doc.save()  # their own profile
		with as_user(self.agent):
			self.assertNotIn(key, {s["key"] for s in api.profile_skills(name)})
			other = frappe.get_doc("KM Expert Profile", name)
			other.availability = "Available"
			with self.assertRaises(frappe.PermissionError):
				other.save()
			with self.assertRaises(frappe.PermissionError):
				api.set_skill_hidden(name, key, 0)
		self.assertEqual(evidence.index().rank((), [key], limit=5), [])  # hidden: not used to suggest

	def test_my_profile_is_made_for_desk_users_only(self):
		with as_user(self.expert):
			self.assertEqual(api.my_profile(), self.expert)
		customer = make_user(f"customer-{word()}", website=True)
		with as_user(customer):
			with self.assertRaises(frappe.PermissionError):
				api.my_profile()
			with self.assertRaises(frappe.PermissionError):
				api.for_question("printer offline")

	def test_a_profile_refuses_what_makes_no_sense(self):
		name = profiles.ensure(self.expert)
		doc = frappe.get_doc("KM Expert Profile", name)
		doc.availability = "Away"
		doc.away_until = add_days(today(), -2)
		with self.assertRaises(frappe.ValidationError):
			doc.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("KM Expert Profile", name, "owner"), self.expert)


class TestAskingAnExpert(ExpertsCase):
	def test_the_outcome_of_asking_is_recorded_and_counts_as_asked_evidence(self):
		self.resolved_by(self.expert)
		ticket = make_issue(f"{self.thing} {self.term} error again")
		with as_user(self.agent):
			api.ask("Issue", ticket.name, self.expert, "Please have a look")
		request = frappe.get_last_doc("KM Expert Request", filters={"ticket": ticket.name})
		self.assertEqual(
			(request.status, request.expert, request.asked_by), ("Asked", self.expert, self.agent)
		)
		cached = evidence.index()
		ref = f"Issue/{ticket.name}"
		self.assertFalse([e for e in cached.pieces if e.ref == ref])
		ticket.reload()
		ticket.status = "Closed"
		ticket.save(ignore_permissions=True)
		requests.ticket_resolved("Issue", ticket.name)  # the job the save enqueues
		request.reload()
		self.assertEqual(request.status, "Resolved")
		self.assertTrue(request.resolved_by_expert)
		self.assertGreaterEqual(request.hours_to_resolution, 0)
		# the cached index learnt it without a rebuild, as the expert's "asked" evidence
		learnt = {(e.user, e.kind) for e in evidence.index().pieces if e.ref == ref}
		self.assertEqual(learnt, {(self.expert, expertise.ASKED)})
		self.assertEqual(evidence.index().skills.keys(), evidence.rebuild().skills.keys())


class TestRoutingToExperts(ExpertsCase):
	def assignees(self, ticket: str) -> set[str]:
		return set(
			frappe.get_all(
				"ToDo",
				filters={"reference_type": "Issue", "reference_name": ticket, "status": "Open"},
				pluck="allocated_to",
			)
		)

	def test_a_ticket_nobody_took_goes_to_the_available_expert_within_capacity(self):
		override_settings(self, "KM Settings", route_to_experts=0)
		self.resolved_by(self.expert, 2)
		ticket = make_issue(f"{self.thing} {self.term} error again").name
		self.assertIsNone(routing.route_new_ticket("Issue", ticket))  # the rule is off
		override_settings(self, "KM Settings", route_to_experts=1, route_when=C.ROUTE_ALWAYS)
		evidence.clear()
		self.assertEqual(routing.route_new_ticket("Issue", ticket), self.expert)
		self.assertEqual(self.assignees(ticket), {self.expert})
		request = frappe.get_last_doc("KM Expert Request", filters={"ticket": ticket})
		self.assertTrue(request.routed)
		self.assertIn("resolved 2 tickets like this", request.note)
		taken = make_issue(f"{self.thing} {self.term} error once more").name
		assign_to.add({"assign_to": [self.agent], "doctype": "Issue", "name": taken}, ignore_permissions=True)
		self.assertIsNone(routing.route_new_ticket("Issue", taken))  # somebody took it
		self.assertEqual(self.assignees(taken), {self.agent})
		self.profile(self.expert, capacity=1)  # the routed ticket fills their capacity
		third = make_issue(f"{self.thing} {self.term} error a third time").name
		self.assertNotEqual(routing.route_new_ticket("Issue", third), self.expert)

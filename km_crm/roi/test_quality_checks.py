"""Content standard sampling: the monthly sample hands each contributor's new versions to a coach,
the coach's checklist gives the score, contributors see the checks of their own work only, and the
Content Quality report shows the trend."""

from typing import ClassVar

import frappe
from frappe.utils import get_first_day, today

from km_crm import constants as C
from km_crm.roi import quality_sampling
from km_crm.roi.report.content_quality import content_quality as report
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import (
	as_user,
	make_department_team,
	make_user,
	word,
)


class TestQualityChecks(KMTestCase):
	settings: ClassVar[dict] = {"KM ROI Settings": {"quality_sample_size": 2}}
	fixture = True

	def setUp(self):
		super().setUp()
		self.other = make_user(f"author-{word()}", C.ROLE_CONTRIBUTOR)  # a contributor of this test only
		self.coach = make_user("coach", C.ROLE_COACH)
		for _n in range(3):
			self.f.published(audience="Customer", title=f"Printer {word()} offline")
		self.f.published(audience="Customer", title=f"Router {word()} resets", owner=self.other)

	def ours(self, names):
		return frappe.get_all(
			"KM Quality Check",
			filters={"name": ("in", names), "contributor": ("in", [self.f.author, self.other])},
			fields=["name", "contributor", "coach", "article_version"],
		)

	def test_the_monthly_sample_gives_each_contributor_checks_for_a_coach_once(self):
		created = self.ours(quality_sampling.sample_month(get_first_day(today())))
		per_contributor = {
			c: sum(1 for r in created if r.contributor == c) for c in (self.f.author, self.other)
		}
		self.assertEqual(per_contributor, {self.f.author: 2, self.other: 1})
		self.assertTrue(all(r.coach for r in created))
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_type": "KM Quality Check", "reference_name": created[0].name}
			)
		)
		# a second run samples only versions not checked yet: the new contributor has none left
		again = self.ours(quality_sampling.sample_month(get_first_day(today())))
		self.assertNotIn(self.other, [r.contributor for r in again])
		self.assertFalse({r.article_version for r in again} & {r.article_version for r in created})

	def test_the_coach_scores_the_check_and_the_contributor_sees_only_their_own(self):
		created = self.ours(quality_sampling.sample_month(get_first_day(today())))
		mine = next(r.name for r in created if r.contributor == self.other)
		theirs = next(r.name for r in created if r.contributor == self.f.author)
		with as_user(self.coach):
			check = frappe.get_doc("KM Quality Check", mine)
			check.update(
				{
					"title_in_customer_words": 1,
					"environment_complete": 1,
					"resolution_testable": 1,
					"no_personal_data": 0,
					"status": "Done",
				}
			)
			check.append("criteria", {"criterion": "Screenshots of the settings page", "met": 0})
			check.save()
		self.assertEqual((check.score, str(check.checked_on)), (60.0, today()))
		with as_user(self.other):
			visible = frappe.get_list(
				"KM Quality Check", filters={"name": ("in", [mine, theirs])}, pluck="name"
			)
			self.assertEqual(visible, [mine])
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("KM Quality Check", theirs).check_permission("read")
		_columns, rows, _message, chart = report.execute({"contributor": self.other})
		this_month = next(r for r in rows if r["month"] == today()[:7])
		self.assertEqual((this_month["checks"], this_month["score"]), (1, 60.0))
		self.assertIn(today()[:7], chart["data"]["labels"])
		# the team's trend: the contributor's team shows the score, with the team filter too
		team = make_department_team(self.other)
		_columns, rows, _message, _chart = report.execute({"group_by": "Team", "team": team})
		self.assertEqual(
			[(r["who"], r["month"], r["checks"], r["score"]) for r in rows], [(team, today()[:7], 1, 60.0)]
		)

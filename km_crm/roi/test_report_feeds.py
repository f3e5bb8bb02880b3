"""An empty Knowledge Gaps or Content Quality says what feeds it and what to switch on."""

from unittest.mock import patch

import frappe

from km_crm import scheduler
from km_crm.gaps.report.knowledge_gaps import knowledge_gaps
from km_crm.roi.report.content_quality import content_quality
from km_crm.tests.base import KMTestCase

QUIET = {"from_date": "1991-02-01", "to_date": "1991-02-28"}  # a month nothing happened in


class TestEmptyReportsSayWhatFeedsThem(KMTestCase):
	def scheduler(self, running: bool) -> None:
		"""As on a site whose scheduler runs, or not (the test site's own setting stays as it is)."""
		stopped = patch.object(scheduler, "is_scheduler_inactive", return_value=not running)
		stopped.start()
		self.addCleanup(stopped.stop)

	def test_knowledge_gaps_without_searches_names_the_search_log_and_the_scheduler(self):
		self.scheduler(False)
		_columns, rows, message, _chart, _summary = knowledge_gaps.execute(QUIET)
		self.assertEqual(rows, [])
		self.assertIn("No search was logged in this period", message)
		self.assertIn("which the scheduler writes in batches every 15 minutes", message)
		self.assertIn(f"bench --site {frappe.local.site} enable-scheduler", message)
		self.scheduler(True)
		_columns, _rows, message, _chart, _summary = knowledge_gaps.execute(QUIET)
		self.assertNotIn("enable-scheduler", message)  # a running scheduler needs no switching on

	def test_content_quality_without_checks_says_where_checks_come_from(self):
		self.scheduler(False)
		_columns, rows, message, chart = content_quality.execute(QUIET)
		self.assertEqual(rows, [])
		self.assertIsNone(chart)
		self.assertIn("No quality check was completed in this period.", message)
		self.assertIn("gives each to a KM Coach as a KM Quality Check", message)
		self.assertIn("km_crm.roi.quality_sampling.sample_last_month", message)
		self.assertIn("enable-scheduler", message)

"""KMTestCase: the one base of km_crm's Frappe tests."""

import frappe
from frappe.tests.utils import FrappeTestCase

from km_crm.tests import setup
from km_crm.tests.factories import GovernanceFixture, word


class KMTestCase(FrappeTestCase):
	"""Every test starts and ends as Administrator, whatever user it switched to, and has a fresh
	`self.term` (a word no other record holds, for titles it searches for). With `fixture = True`
	each test also gets `self.f`, a fresh GovernanceFixture (a category, its committee, an author).

	The class starts the process's test run (km_crm/tests/setup.py) when bench's before_tests hook
	did not (--skip-before-tests): indexing at once into a throwaway index, re-indexed after each
	rollback, and no rate limits unless the test calls `count_rates()`."""

	fixture = False

	@classmethod
	def setUpClass(cls) -> None:
		super().setUpClass()
		setup.start()

	def setUp(self) -> None:
		frappe.set_user("Administrator")
		self.addCleanup(frappe.set_user, "Administrator")
		self.term = word()
		if self.fixture:
			self.f = GovernanceFixture()

	def count_rates(self) -> None:
		"""Count request rate limits in this test, as on a real site."""
		run = setup.start()
		run.count_rates = True
		self.addCleanup(setattr, run, "count_rates", False)

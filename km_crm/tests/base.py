"""KMTestCase: the one base of km_crm's Frappe tests."""

from typing import ClassVar

import frappe
from frappe.tests.utils import FrappeTestCase

from km_crm.tests import setup
from km_crm.tests.factories import GovernanceFixture, override_settings, use_partner_role, word


class KMTestCase(FrappeTestCase):
	"""Every test starts and ends as Administrator, whatever user it switched to, and has a fresh
	`self.term` (a word no other record holds, for titles it searches for). Before each test:
	- `settings` ({settings doctype: {field: value}}) are set, and set back after it;
	- with `partner_role = True`, factories.PARTNER_ROLE is the partner role;
	- with `fixture = True`, `self.f` is a fresh GovernanceFixture (a category, its committee, an
	  author).

	The class starts the process's test run (km_crm/tests/setup.py) when bench's before_tests hook
	did not (--skip-before-tests): indexing at once into a throwaway index, re-indexed after each
	rollback, and no rate limits unless the test calls `count_rates()`. Each class starts with empty
	throwaway indexes."""

	settings: ClassVar[dict[str, dict]] = {}
	partner_role = False
	fixture = False

	@classmethod
	def setUpClass(cls) -> None:
		super().setUpClass()
		setup.start().fresh_indexes()

	def setUp(self) -> None:
		frappe.set_user("Administrator")
		self.addCleanup(frappe.set_user, "Administrator")
		self.term = word()
		for doctype, values in self.settings.items():
			override_settings(self, doctype, **values)
		if self.partner_role:
			use_partner_role(self)
		if self.fixture:
			self.f = GovernanceFixture()

	def embed_vectors(self) -> None:
		"""Make search vectors at once in this test (semantic search), as a site's jobs would."""
		run = setup.start()
		run.embed = True
		self.addCleanup(setattr, run, "embed", False)

	def count_rates(self) -> None:
		"""Count request rate limits in this test, as on a real site."""
		run = setup.start()
		run.count_rates = True
		self.addCleanup(setattr, run, "count_rates", False)

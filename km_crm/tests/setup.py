"""The test setup of a site and of the test process.

`before_tests` is bench run-tests' hook (hooks.py): it prepares the site when it lacks what the tests
need, then starts the test run (`start`), which turns on km_crm.testing's switch for this process:
- articles and tickets are indexed at once, in the saving transaction, and indexed again after a
  rollback, so a test's rolled-back records never stay findable for the next test;
- the indexes live in a throwaway folder (and Elasticsearch prefix) of this process, dropped when it
  ends: tests never write into the site's index; each test class starts with empty ones
  (`fresh_indexes`), so what one class indexed (a reconcile indexes every live article of the
  site) never answers another's searches;
- request rate limits are not counted unless a test asks for them (`KMTestCase.count_rates`).

`prepare_site` is what scripts/run-tests runs on the test site before the runner (bench execute):
ERPNext's test setup on a site without a company, the user throttle raised, the e-mail queue
suspended and the demo loaded (idempotent).
"""

import atexit
import os
import shutil
import tempfile

import frappe
from frappe.installer import update_site_config
from frappe.utils import cint

from km_crm import testing

# Frappe refuses a 61st new User within an hour; the suite creates users of its own on every run,
# so runs close together (a developer's, then CI's) would be refused
USER_THROTTLE = 100000
BROWSER_SEARCHES = 100000  # KM Search Settings' searches per minute per user, on the test site


def before_tests() -> None:
	"""hooks.py before_tests: run by bench run-tests before the first test (frappe.test_runner.main,
	after it sets frappe.flags.in_test; skipped with --skip-before-tests, KMTestCase starts the run
	then)."""
	prepare_site(demo=not _demo_loaded())
	start()


def prepare_site(demo: bool = True) -> None:
	"""The test site's setup, idempotent (scripts/run-tests: `bench --site SITE execute
	km_crm.tests.setup.prepare_site` after migrate)."""
	if "erpnext" in frappe.get_installed_apps() and not frappe.db.a_row_exists("Company"):
		from erpnext.setup.utils import before_tests as erpnext_before_tests

		erpnext_before_tests()  # the setup wizard's company, once
	settings = frappe.get_single("KM Search Settings")
	if cint(settings.user_searches_per_minute) < BROWSER_SEARCHES:
		# the browser checks sign in as the same demo agent in several journeys, whose panels search
		# as the agent types: over a fast minute that is more than a real agent's 120
		frappe.db.set_single_value("KM Search Settings", "user_searches_per_minute", BROWSER_SEARCHES)
	if cint(frappe.conf.get("throttle_user_limit")) < USER_THROTTLE:
		update_site_config("throttle_user_limit", USER_THROTTLE)
		frappe.local.conf.throttle_user_limit = USER_THROTTLE
	if not cint(frappe.db.get_default("suspend_email_queue")):
		# Frappe sends a test's e-mail at once and commits the queue as it goes, which would leave
		# each run's articles, reviews and notifications on the site (and slow the next run): the
		# test site's e-mail queue is suspended (mails are queued, never sent). Not mute_emails: with
		# no outgoing account it makes a dummy one that cannot build a message.
		from frappe.email.doctype.email_queue.email_queue import toggle_sending

		toggle_sending(0)
	frappe.db.commit()
	if demo:
		# the tests must pass on a site that holds real data too
		from km_crm.demo import loader

		loader.load()


def _demo_loaded() -> bool:
	from km_crm.demo import loader

	return bool(frappe.db.exists("User", loader.AUTHOR))


class TestRun:
	"""km_crm.testing.RUN in the test process (see km_crm/testing.py for what production asks)."""

	def __init__(self) -> None:
		self.root = tempfile.mkdtemp(prefix="km_crm_test_index_")
		self.suffix = f"-test-{os.getpid()}"
		self.generation = 0
		self.engines = []
		self.count_rates = False
		self.embed = False
		atexit.register(self.drop_indexes)

	def index_now(self, index, *args, **once) -> None:
		index(*args, **once)
		self.after_rollback(index, *args)

	def after_rollback(self, index, *args) -> None:
		"""Run `index(*args)` again after a rollback of this transaction, so the index keeps to what
		the database holds; a commit forgets it."""
		pending = getattr(frappe.local, "km_reindex_after_rollback", None)
		if pending is None:  # first index write of this transaction
			pending = frappe.local.km_reindex_after_rollback = {}
			frappe.db.after_rollback.add(_reindex_after_rollback)
			frappe.db.after_commit.add(_forget_pending)
		pending[(index, args)] = True

	def throwaway_index(self, folder: str, prefix: str) -> tuple[str, str]:
		generation = str(self.generation)
		return os.path.join(self.root, generation, folder), f"{prefix}{self.suffix}-{generation}"

	def made(self, engine) -> None:
		self.engines.append(engine)

	def fresh_indexes(self) -> None:
		"""Empty indexes from now on (a new folder and prefix); the earlier ones are dropped."""
		self._drop_engines()
		self.generation += 1

	def drop_indexes(self) -> None:
		self._drop_engines()
		shutil.rmtree(self.root, ignore_errors=True)

	def _drop_engines(self) -> None:
		for engine in self.engines:
			drop = getattr(engine, "drop", None)  # Elasticsearch: delete the test process's indices
			if drop:
				try:
					drop()
				except Exception:
					pass  # the server went away first: the indices carry the test process id
		self.engines = []


def _forget_pending() -> None:
	frappe.local.km_reindex_after_rollback = None


def _reindex_after_rollback() -> None:
	pending = getattr(frappe.local, "km_reindex_after_rollback", None) or {}
	frappe.local.km_reindex_after_rollback = None
	for index, args in pending:
		index(*args)


def start() -> TestRun:
	"""Turn on km_crm.testing's switch for this process (once)."""
	if testing.RUN is None:
		testing.RUN = TestRun()
	return testing.RUN

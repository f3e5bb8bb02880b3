"""The one switch production code asks about tests (pure: no Frappe).

`RUN` is None on every real site. The test setup (km_crm/tests/setup.py: the `before_tests` hook
and `KMTestCase`) sets it to the test process's run, which production code asks for:
- `RUN.index_now(index, *args, **once)`: articles and tickets are indexed at once, in the saving
  transaction (a test looks at the index right after the action), instead of by a job after the
  commit, and indexed again by `index(*args)` after a rollback; rebuild and reconcile jobs are not
  queued;
- `RUN.throwaway_index(folder, prefix)` and `RUN.made(engine)`: the indexes live in a throwaway
  folder / Elasticsearch prefix of the process, dropped when it ends, never in the site's index;
- `RUN.count_rates`: request limits are counted only when a test asks for them;
- `RUN.embed`: search vectors are made at once (in the saving request) only when a test asks for
  them (about a quarter of a second an article); otherwise records are found by their words.
"""

RUN = None

"""The embedded index shared by several processes: one writer at a time, readers see new commits."""

from __future__ import annotations

import multiprocessing

import pytest
from km_search_testutil import make_article, passages_of

from km_crm.search.backend import IndexBusyError
from km_crm.search.service import index_articles, search_articles
from km_crm.search.tantivy_backend import TantivyBackend

PUBLIC = ("Public",)


def _writer_process(path: str, prefix: str, batches: int, per_batch: int) -> None:
	backend = TantivyBackend(path, lock_timeout=60)
	for b in range(batches):
		articles = [
			make_article(
				f"{prefix}-{b}-{i}", f"{prefix} article {b} {i}", f"<p>Shared albatross text {prefix}.</p>"
			)
			for i in range(per_batch)
		]
		index_articles(backend, articles)


def test_two_processes_writing_at_once_both_succeed_and_nothing_is_lost(tmp_path):
	path = str(tmp_path / "index")
	TantivyBackend(path).ensure_schema()
	ctx = multiprocessing.get_context("spawn")
	procs = [ctx.Process(target=_writer_process, args=(path, name, 8, 5)) for name in ("left", "right")]
	for p in procs:
		p.start()
	for p in procs:
		p.join(120)
	assert [p.exitcode for p in procs] == [0, 0]

	reader = TantivyBackend(path)
	versions = reader.indexed_versions()
	assert len(versions) == 2 * 8 * 5
	assert reader.passage_count() == 2 * 8 * 5
	left = search_articles(reader, "left albatross", audiences=PUBLIC, limit=100)
	assert len({r.article_id for r in left if r.article_id.startswith("left-")}) == 40


def _index_one(path: str) -> None:
	index_articles(TantivyBackend(path), [make_article("LATE-1", "Cormorant guide", "<p>Cormorant.</p>")])


def test_reader_sees_commit_from_another_process_without_restart(tmp_path):
	path = str(tmp_path / "index")
	reader = TantivyBackend(path)
	index_articles(reader, [make_article("EARLY-1", "Pelican guide", "<p>Pelican.</p>")])
	assert search_articles(reader, "cormorant", audiences=PUBLIC) == []
	proc = multiprocessing.get_context("spawn").Process(target=_index_one, args=(path,))
	proc.start()
	proc.join(60)
	assert proc.exitcode == 0
	assert [r.article_id for r in search_articles(reader, "cormorant", audiences=PUBLIC)] == ["LATE-1"]


def test_busy_writer_lock_is_retried_then_reported_clearly(tmp_path):
	path = str(tmp_path / "index")
	holder = TantivyBackend(path)
	holder.ensure_schema()
	writer = holder._writer()  # another job holds the lock
	try:
		impatient = TantivyBackend(path, lock_timeout=0.3)
		with pytest.raises(IndexBusyError, match="another process"):
			impatient.index(passages_of(make_article("B-1", "Blocked", "<p>Tern.</p>")))
	finally:
		writer.rollback()
		writer.wait_merging_threads()
	impatient.index(passages_of(make_article("B-1", "Blocked", "<p>Tern.</p>")))
	assert [r.article_id for r in search_articles(impatient, "tern", audiences=PUBLIC)] == ["B-1"]


class _Crashes(TantivyBackend):
	def _passage_document(self, p):
		if p.article_id == "X-2":
			raise RuntimeError("disk full")
		return super()._passage_document(p)


def test_failed_write_is_rolled_back_whole_and_the_old_version_stays_searchable(tmp_path):
	path = str(tmp_path / "index")
	good = TantivyBackend(path)
	index_articles(
		good, [make_article(f"X-{i}", f"Gannet {i}", "<p>Gannet first edition.</p>") for i in range(3)]
	)
	crashing = _Crashes(path)
	revised = [
		make_article(f"X-{i}", f"Gannet {i}", "<p>Gannet second edition.</p>", modified="2024-09-09 09:09:09")
		for i in range(3)
	]
	with pytest.raises(RuntimeError):
		index_articles(crashing, revised)
	assert set(good.indexed_versions().values()) == {"2024-05-01 10:00:00"}
	assert len(search_articles(good, "gannet first", audiences=PUBLIC)) == 3
	assert search_articles(good, "second", audiences=PUBLIC) == []
	index_articles(good, revised)  # the writer lock was released despite the crash
	assert len(search_articles(good, "second", audiences=PUBLIC)) == 3


def test_an_index_of_an_older_layout_is_left_to_readers_and_replaced_by_the_first_write(tmp_path):
	path = tmp_path / "index"
	old = TantivyBackend(str(path))
	index_articles(old, [make_article("KB-OLD", "Albatross sighting", "<p>Old layout.</p>")])
	(path / "km_schema_version").write_text("km-passages-0")  # as an earlier release left it
	files_before = sorted(p.name for p in path.iterdir())

	reader = TantivyBackend(str(path))
	reader.ensure_schema()
	assert search_articles(reader, "albatross", audiences=PUBLIC) == []  # stale layout: nothing served
	assert reader.indexed_versions() == {}  # so reconcile re-indexes every article
	assert sorted(p.name for p in path.iterdir()) == files_before  # and readers touched nothing

	writer = TantivyBackend(str(path))
	index_articles(writer, [make_article("KB-NEW", "Albatross migration", "<p>New layout.</p>")])
	assert [r.article_id for r in search_articles(reader, "albatross", audiences=PUBLIC)] == ["KB-NEW"]

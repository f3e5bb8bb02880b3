"""Article vectors beside the tantivy index (vector_store.FileVectorStore), with synthetic vectors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from km_crm.search import vector_store
from km_crm.search.backend import tie_key
from km_crm.search.vector_store import FileVectorStore, quantise

DIM = 384


def unit_vectors(n: int, seed: int = 0, dim: int = DIM) -> np.ndarray:
	rows = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
	return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def near(vector: np.ndarray, noise: float, seed: int) -> np.ndarray:
	"""A unit vector close to `vector` (cosine about 1 / sqrt(1 + noise^2 x dim))."""
	moved = vector + noise * np.random.default_rng(seed).standard_normal(vector.shape).astype(np.float32)
	return moved / np.linalg.norm(moved)


def brute_force(rows: np.ndarray, query: np.ndarray, k: int) -> list[int]:
	return [int(i) for i in np.argsort(-(rows @ query), kind="stable")[:k]]


def store_of(folder, vectors: np.ndarray, prefix: str = "KB-") -> tuple[FileVectorStore, list[str]]:
	store = FileVectorStore(folder, DIM)
	ids = [f"{prefix}{i}" for i in range(len(vectors))]
	store.put({a: (f"h{i}", v) for i, (a, v) in enumerate(zip(ids, vectors, strict=True))})
	return store, ids


def test_an_empty_store_answers_nothing(tmp_path):
	store = FileVectorStore(tmp_path / "vectors", DIM)
	query = unit_vectors(1)[0]
	assert store.count() == 0
	assert store.versions() == {}
	assert store.nearest(query, 10) == []
	assert store.similarities(query, [tie_key("KB-1")]) == {}
	store.delete(["KB-1"])  # nothing to delete: no error, nothing written
	store.clear()
	assert store.count() == 0


def test_put_then_nearest_similarities_versions_and_count(tmp_path):
	vectors = unit_vectors(40, seed=1)
	store, ids = store_of(tmp_path / "vectors", vectors)
	assert store.count() == 40
	assert store.versions() == {a: f"h{i}" for i, a in enumerate(ids)}

	query = near(vectors[7], 0.02, seed=2)
	found = store.nearest(query, 5)
	assert [a for a, _g, _c in found] == [ids[i] for i in brute_force(vectors, query, 5)]
	assert found[0][0] == "KB-7"
	assert found[0][1] == tie_key("KB-7")
	cosines = [c for _a, _g, c in found]
	assert cosines == sorted(cosines, reverse=True)
	assert cosines[0] == pytest.approx(float(vectors[7] @ query), abs=0.01)
	assert len(store.nearest(query, 500)) == 40  # never more than it holds
	assert store.nearest(query, 0) == []

	sims = store.similarities(query, [tie_key("KB-7"), tie_key("KB-30"), tie_key("KB-missing")])
	assert set(sims) == {tie_key("KB-7"), tie_key("KB-30")}  # an article without a vector: absent
	assert sims[tie_key("KB-7")] == pytest.approx(found[0][2])
	assert sims[tie_key("KB-30")] == pytest.approx(float(vectors[30] @ query), abs=0.01)


def test_put_replaces_an_article_vector_and_its_hash(tmp_path):
	vectors = unit_vectors(10, seed=3)
	store, _ids = store_of(tmp_path / "vectors", vectors)
	moved = unit_vectors(1, seed=4)[0]
	store.put({"KB-2": ("h2-edited", moved), "KB-new": ("hn", vectors[5])})
	assert store.count() == 11
	assert store.versions()["KB-2"] == "h2-edited"
	assert store.versions()["KB-new"] == "hn"
	assert store.nearest(moved, 1)[0][0] == "KB-2"
	# KB-2 no longer sits at its old place: the nearest to its old vector is someone else
	assert "KB-2" not in [a for a, _g, _c in store.nearest(vectors[2], 1)]


def test_delete_and_clear(tmp_path):
	vectors = unit_vectors(12, seed=5)
	store, _ids = store_of(tmp_path / "vectors", vectors)
	store.delete(["KB-3", "KB-4", "KB-unknown"])
	assert store.count() == 10
	assert {"KB-3", "KB-4"}.isdisjoint(store.versions())
	assert store.nearest(vectors[3], 1)[0][0] != "KB-3"
	assert tie_key("KB-3") not in store.similarities(vectors[3], [tie_key("KB-3"), tie_key("KB-5")])
	store.clear()
	assert store.count() == 0
	assert store.versions() == {}
	assert store.nearest(vectors[5], 3) == []
	store.put({"KB-5": ("h5", vectors[5])})  # usable again after a clear
	assert [a for a, _g, _c in store.nearest(vectors[5], 3)] == ["KB-5"]


def test_int8_rows_keep_cosines_within_a_hundredth(tmp_path):
	vectors = unit_vectors(200, seed=6)
	q, scales = quantise(vectors)
	assert q.dtype == np.int8 and scales.dtype == np.float32
	queries = unit_vectors(20, seed=7)
	exact = vectors @ queries.T
	restored = (q.astype(np.float32) * scales[:, None]) @ queries.T
	assert np.abs(restored - exact).max() < 0.01

	store, ids = store_of(tmp_path / "vectors", vectors)
	for query in queries[:5]:
		sims = store.similarities(query, [tie_key(a) for a in ids])
		stored = np.array([sims[tie_key(a)] for a in ids])
		assert np.abs(stored - vectors @ query).max() < 0.01
	# the files hold int8 rows, not float32: about a quarter of the bytes
	rows_file = next((tmp_path / "vectors").glob("rows-*.i8"))
	assert rows_file.stat().st_size == 200 * DIM


def test_equal_cosines_come_in_tie_key_order(tmp_path):
	vector = unit_vectors(1, seed=8)[0]
	store = FileVectorStore(tmp_path / "vectors", DIM)
	names = [f"KB-same-{i}" for i in range(6)]
	store.put({a: ("h", vector) for a in names})
	found = store.nearest(vector, 6)
	assert [a for a, _g, _c in found] == sorted(names, key=tie_key)


def test_another_process_instance_sees_writes_once_they_are_made(tmp_path):
	folder = tmp_path / "vectors"
	vectors = unit_vectors(20, seed=9)
	writer = FileVectorStore(folder, DIM)
	reader = FileVectorStore(folder, DIM)  # as a web worker would open it
	assert reader.count() == 0
	writer.put({f"KB-{i}": ("h", vectors[i]) for i in range(10)})
	assert reader.count() == 10
	assert reader.nearest(vectors[15], 1)[0][0] != "KB-15"
	writer.put({f"KB-{i}": ("h", vectors[i]) for i in range(10, 20)})
	assert reader.count() == 20
	assert reader.nearest(vectors[15], 1)[0][0] == "KB-15"
	writer.delete(["KB-15"])
	assert reader.nearest(vectors[15], 1)[0][0] != "KB-15"
	assert "KB-15" not in reader.versions()
	# the reader writes too, and the first instance sees it
	reader.put({"KB-15": ("h-back", vectors[15])})
	assert writer.versions()["KB-15"] == "h-back"


def test_a_reader_on_the_old_generation_keeps_answering_while_a_writer_swaps(tmp_path, monkeypatch):
	# the large-store path: int8 rows memory-mapped from the generation's files, which the writer
	# removes when it swaps in the next generation
	monkeypatch.setattr(vector_store, "BINARY_ABOVE", 50)
	folder = tmp_path / "vectors"
	old = unit_vectors(120, seed=10)
	writer, ids = store_of(folder, old)
	reader = FileVectorStore(folder, DIM)
	generation = reader._current()  # what a search in flight holds
	query = near(old[17], 0.02, seed=11)
	assert reader.nearest(query, 1)[0][0] == "KB-17"

	new = unit_vectors(120, seed=12)
	writer.put({a: ("h-between", v) for a, v in zip(ids, unit_vectors(120, seed=22), strict=True)})
	writer.put({a: ("h-new", v) for a, v in zip(ids, new, strict=True)})
	assert not list(folder.glob(f"rows-{generation.stamp}.*"))  # its files are gone from the folder
	index, sims = generation.scores(query, 3)  # the search in flight finishes on the old rows
	assert generation.ids[int(index[0])] == "KB-17"
	assert float(sims[0]) == pytest.approx(float(old[17] @ query), abs=0.01)
	# the next search sees the new generation
	assert reader.nearest(new[40], 1)[0][0] == "KB-40"
	assert set(reader.versions().values()) == {"h-new"}


def test_a_reader_that_read_the_manifest_just_before_a_swap_still_answers(tmp_path):
	# The window between a reader's read of manifest.json and its opening of that generation's files,
	# made certain: the writer swaps (and removes the old generation's files) right after the read.
	folder = tmp_path / "vectors"
	first, second = unit_vectors(30, seed=13), unit_vectors(30, seed=14)
	writer, ids = store_of(folder, first)
	reader = FileVectorStore(folder, DIM)
	read_manifest = reader._manifest

	def manifest_then_swap():
		manifest = read_manifest()
		reader._manifest = read_manifest  # once
		writer.put({a: ("h-second", v) for a, v in zip(ids, second, strict=True)})
		return manifest

	reader._manifest = manifest_then_swap
	found = reader.nearest(first[3], 1)  # the old generation's answer or the new one's, no error
	assert found[0][0] in {"KB-3", ids[brute_force(second, first[3], 1)[0]]}
	assert reader.count() == 30


def test_binary_shortlist_finds_the_same_nearest_article_as_brute_force(tmp_path, monkeypatch):
	monkeypatch.setattr(vector_store, "BINARY_ABOVE", 50)
	vectors = unit_vectors(500, seed=15)
	store, ids = store_of(tmp_path / "vectors", vectors)
	generation = store._current()
	assert generation.dense is None and generation.codes is not None  # the shortlist path is taken
	rng = np.random.default_rng(16)
	for n, row in enumerate(rng.choice(500, size=25, replace=False)):
		query = near(vectors[row], 0.03, seed=100 + n)
		found = store.nearest(query, 10)
		exact = brute_force(vectors, query, 10)
		assert found[0][0] == ids[exact[0]] == f"KB-{row}"
		assert found[0][2] == pytest.approx(float(vectors[row] @ query), abs=0.01)
		assert len(found) == 10
	# with more rows than the shortlist, a query far from everything still gets k answers
	assert len(store.nearest(unit_vectors(1, seed=17)[0], 7)) == 7


def test_binary_shortlist_rescoring_agrees_with_the_dense_path(tmp_path, monkeypatch):
	vectors = unit_vectors(300, seed=18)
	dense, _ids = store_of(tmp_path / "dense", vectors)
	monkeypatch.setattr(vector_store, "BINARY_ABOVE", 50)
	binary, _ids = store_of(tmp_path / "binary", vectors)
	query = near(vectors[42], 0.05, seed=19)
	# the shortlist (at least 1,000 rows) covers all 300: both paths see every row
	assert [a for a, _g, _c in binary.nearest(query, 20)] == [a for a, _g, _c in dense.nearest(query, 20)]


def test_a_store_written_for_another_dimension_reads_as_empty(tmp_path):
	folder = tmp_path / "vectors"
	other = FileVectorStore(folder, 768)
	other.put({"KB-1": ("h", unit_vectors(1, seed=20, dim=768)[0])})
	assert json.loads((folder / "manifest.json").read_text())["dim"] == 768
	store = FileVectorStore(folder, DIM)
	query = unit_vectors(1, seed=21)[0]
	assert store.count() == 0
	assert store.versions() == {}
	assert store.nearest(query, 5) == []
	assert store.similarities(query, [tie_key("KB-1")]) == {}
	# writing with the new model's width starts over instead of mixing widths
	store.put({"KB-2": ("h2", query)})
	assert store.versions() == {"KB-2": "h2"}
	assert store.nearest(query, 5)[0][0] == "KB-2"

"""Article vectors in a folder beside the tantivy index (pure: numpy, no Frappe).

Tantivy has no dense-vector field, so the embedded search keeps one vector per article here:
- on disk, int8 rows with a per-row scale (388 bytes a vector instead of 1,536; MRR unchanged), the
  article ids, their tie keys (backend.tie_key: what a Hit knows without loading) and the hash of
  the embedded text, as one generation of files named in `manifest.json`;
- a writer (one at a time across processes: a lock file) writes a new generation and then swaps the
  manifest, so readers see the old vectors or the new ones, never half;
- readers notice a new manifest by a stat before each search and load its rows as float32 (up to
  BINARY_ABOVE rows: 40 MB at 27k); a larger store keeps sign bits of the centred rows in memory for a
  shortlist (Hamming distance, numpy's bitwise_count, one 64-dimension word at a time over all rows;
  the cut from a histogram of the distances) rescored from the memory-mapped int8 rows.
Search is brute force: all rows are compared. The store holds vectors only; which articles a reader
may see is decided by the engine (hybrid.py asks it about the nearest ones).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import threading
from collections.abc import Iterable, Mapping

import numpy as np

from km_crm.search.backend import VectorStore, tie_key

BINARY_ABOVE = 100_000  # rows: above, a binary shortlist rescored from int8
CHUNK = 50_000  # rows turned into sign bits at a time (no float copy of a whole large store)
SHORTLIST = 20  # binary shortlist = SHORTLIST x k rows (at least 1,000)
_MANIFEST = "manifest.json"


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
	"""int8 rows and their float32 scales (row = int8 x scale)."""
	vectors = np.asarray(vectors, dtype=np.float32)
	scales = np.abs(vectors).max(axis=1) / 127.0
	scales[scales == 0] = 1.0
	return np.round(vectors / scales[:, None]).astype(np.int8), scales.astype(np.float32)


def pack(vector) -> str:
	"""One vector as text a passage's stored data can carry (an attached file's page): its int8 row
	after its float32 scale, base64 (quantise's form: 388 bytes for 384 dimensions)."""
	q, scales = quantise(np.asarray(vector, dtype=np.float32).reshape(1, -1))
	return base64.b64encode(scales.tobytes() + q.tobytes()).decode("ascii")


def unpack(text: str | None):
	"""pack's vector back as float32 (None for "" or text that is not one)."""
	try:
		raw = base64.b64decode(text or "", validate=True)
	except (ValueError, TypeError):
		return None
	if len(raw) <= 4:
		return None
	scale = np.frombuffer(raw[:4], dtype=np.float32)[0]
	return np.frombuffer(raw[4:], dtype=np.int8).astype(np.float32) * scale


class _Generation:
	"""One loaded generation: ids, tie keys, hashes and the searchable rows."""

	def __init__(self, folder: str, manifest: dict, searchable: bool = True) -> None:
		self.stamp = manifest["generation"]
		self.dim = int(manifest["dim"])
		rows = int(manifest["rows"])
		with open(os.path.join(folder, f"ids-{self.stamp}.json"), encoding="utf-8") as fh:
			pairs = json.load(fh)
		self.ids = [a for a, _h in pairs]
		self.hashes = {a: h for a, h in pairs}
		if rows:
			self.int8 = np.memmap(
				os.path.join(folder, f"rows-{self.stamp}.i8"), dtype=np.int8, mode="r", shape=(rows, self.dim)
			)
			self.scales = np.fromfile(os.path.join(folder, f"scales-{self.stamp}.f32"), dtype=np.float32)
		else:
			self.int8 = np.zeros((0, self.dim), dtype=np.int8)
			self.scales = np.zeros(0, dtype=np.float32)
		self.dense = None
		self.codes = None  # sign bits, one row of uint64 words per 64 dimensions (column-major)
		if not searchable:  # a writer copying the rows into the next generation
			return
		self.groups = np.array([tie_key(a) for a in self.ids], dtype=np.uint64)
		self.row_of_group = {int(g): i for i, g in enumerate(self.groups)}
		if rows <= BINARY_ABOVE:
			self.dense = self.int8.astype(np.float32) * self.scales[:, None]
		else:
			sample = min(rows, 20_000)
			self.centre = (self.int8[:sample].astype(np.float32) * self.scales[:sample, None]).mean(axis=0)
			parts = [
				self._codes(self.rows(np.arange(i, min(rows, i + CHUNK)))) for i in range(0, rows, CHUNK)
			]
			self.codes = np.ascontiguousarray(np.concatenate(parts).T)

	def _codes(self, rows: np.ndarray) -> np.ndarray:
		"""(n, dim / 64) uint64 sign bits of rows after centring."""
		return np.packbits(rows - self.centre > 0, axis=1).view(np.uint64)

	def _shortlist(self, vector: np.ndarray, short: int) -> np.ndarray:
		"""Rows (ascending) with the smallest Hamming distances to the vector's code, at least `short`."""
		query = self._codes(vector[None, :])[0]
		distance = np.bitwise_count(self.codes[0] ^ query[0]).astype(np.uint16)
		for word in range(1, len(query)):
			distance += np.bitwise_count(self.codes[word] ^ query[word])
		# the distance at which `short` rows are reached, from a histogram rather than a partition
		reached = np.cumsum(np.bincount(distance, minlength=self.dim + 1))
		cut = int(np.searchsorted(reached, short))
		return np.flatnonzero(distance <= cut)

	def rows(self, index: np.ndarray) -> np.ndarray:
		if self.dense is not None:
			return self.dense[index]
		return self.int8[index].astype(np.float32) * self.scales[index, None]

	def scores(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
		"""(row indexes, cosines) of the k nearest rows, best first."""
		n = len(self.ids)
		if self.dense is not None:
			sims = self.dense @ vector
			index = np.arange(n)
		else:
			index = self._shortlist(vector, min(n, max(1000, SHORTLIST * k)))
			sims = self.rows(index) @ vector
		if k < len(index):
			top = np.argpartition(-sims, k - 1)[:k]
		else:
			top = np.arange(len(index))
		# best first; equal cosines by tie key, as everywhere
		order = sorted(top.tolist(), key=lambda i: (-float(sims[i]), int(self.groups[index[i]])))
		return index[order], sims[order]


class FileVectorStore(VectorStore):
	def __init__(self, folder: str, dim: int) -> None:
		self.folder = os.fspath(folder)
		self.dim = dim
		self._loaded: _Generation | None = None
		self._stamp = None
		self._lock = threading.Lock()

	# ---- reading -----------------------------------------------------------------------------
	def _manifest(self) -> dict | None:
		try:
			with open(os.path.join(self.folder, _MANIFEST), encoding="utf-8") as fh:
				return json.load(fh)
		except (FileNotFoundError, json.JSONDecodeError):
			return None

	def _manifest_stamp(self):
		try:
			st = os.stat(os.path.join(self.folder, _MANIFEST))
		except FileNotFoundError:
			return None
		return (st.st_mtime_ns, st.st_ino, st.st_size)

	def _current(self) -> _Generation | None:
		stamp = self._manifest_stamp()
		if stamp is None:
			return None
		if self._loaded is None or stamp != self._stamp:
			with self._lock:
				for attempt in range(3):
					manifest = self._manifest()
					if manifest is None or manifest.get("dim") != self.dim:
						return None  # another model's vectors: embedded again
					try:
						self._loaded, self._stamp = _Generation(self.folder, manifest), stamp
						break
					except FileNotFoundError:
						# a writer swapped in a newer generation and removed this one's files between
						# the read of the manifest and the opening of its files: read it again
						if attempt == 2:
							raise
		return self._loaded

	def count(self) -> int:
		current = self._current()
		return len(current.ids) if current else 0

	def versions(self) -> dict[str, str]:
		current = self._current()
		return dict(current.hashes) if current else {}

	def nearest(self, vector, k: int) -> list[tuple[str, int, float]]:
		current = self._current()
		if current is None or not current.ids or k <= 0:
			return []
		index, sims = current.scores(np.asarray(vector, dtype=np.float32), k)
		return [
			(current.ids[i], int(current.groups[i]), float(s))
			for i, s in zip(index.tolist(), sims, strict=True)
		]

	def similarities(self, vector, groups: Iterable[int]) -> dict[int, float]:
		current = self._current()
		if current is None:
			return {}
		rows = [(g, current.row_of_group.get(g)) for g in groups]
		rows = [(g, r) for g, r in rows if r is not None]
		if not rows:
			return {}
		sims = current.rows(np.array([r for _g, r in rows])) @ np.asarray(vector, dtype=np.float32)
		return {g: float(s) for (g, _r), s in zip(rows, sims, strict=True)}

	# ---- writing -----------------------------------------------------------------------------
	def put(self, vectors: Mapping[str, tuple[str, object]]) -> None:
		if vectors:
			self._rewrite(put=vectors)

	def delete(self, article_ids: Iterable[str]) -> None:
		ids = set(article_ids)
		if ids and self._manifest_stamp() is not None:
			self._rewrite(drop=ids)

	def clear(self) -> None:
		if self._manifest_stamp() is not None:
			self._rewrite(drop=None)

	def _rewrite(self, put: Mapping | None = None, drop: set | None = frozenset()) -> None:
		os.makedirs(self.folder, exist_ok=True)
		with open(os.path.join(self.folder, "write.lock"), "a") as lock:
			fcntl.flock(lock, fcntl.LOCK_EX)
			try:
				manifest = self._manifest()
				old = (
					_Generation(self.folder, manifest)
					if manifest and manifest.get("dim") == self.dim
					else None
				)
				ids, hashes, int8, scales = [], [], [], []
				if old is not None and drop is not None:
					keep = [i for i, a in enumerate(old.ids) if a not in drop and a not in (put or {})]
					ids = [old.ids[i] for i in keep]
					hashes = [old.hashes[a] for a in ids]
					int8.append(np.asarray(old.int8[keep]))
					scales.append(old.scales[keep])
				if put:
					new_ids = sorted(put)
					q, s = quantise(np.stack([np.asarray(put[a][1], dtype=np.float32) for a in new_ids]))
					ids += new_ids
					hashes += [put[a][0] for a in new_ids]
					int8.append(q)
					scales.append(s)
				self._write_generation(manifest, ids, hashes, int8, scales)
			finally:
				fcntl.flock(lock, fcntl.LOCK_UN)

	def _write_generation(self, manifest, ids, hashes, int8, scales) -> None:
		stamp = (manifest or {}).get("generation", 0) + 1
		rows = np.concatenate(int8) if int8 else np.zeros((0, self.dim), dtype=np.int8)
		row_scales = np.concatenate(scales) if scales else np.zeros(0, dtype=np.float32)
		with open(os.path.join(self.folder, f"ids-{stamp}.json"), "w", encoding="utf-8") as fh:
			json.dump([[a, h] for a, h in zip(ids, hashes, strict=True)], fh)
		rows.astype(np.int8).tofile(os.path.join(self.folder, f"rows-{stamp}.i8"))
		row_scales.astype(np.float32).tofile(os.path.join(self.folder, f"scales-{stamp}.f32"))
		tmp = os.path.join(self.folder, f"{_MANIFEST}.tmp")
		with open(tmp, "w", encoding="utf-8") as fh:
			json.dump({"generation": stamp, "rows": len(ids), "dim": self.dim}, fh)
		os.replace(tmp, os.path.join(self.folder, _MANIFEST))
		# generations before the previous one: readers that loaded one keep their open maps (unlinked
		# files stay readable), and one that is loading the previous one finds its files
		for name in os.listdir(self.folder):
			base, _, _ext = name.partition(".")
			if "-" in base and base.rsplit("-", 1)[1].isdigit() and int(base.rsplit("-", 1)[1]) < stamp - 1:
				os.remove(os.path.join(self.folder, name))

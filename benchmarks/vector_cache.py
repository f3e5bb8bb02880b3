"""Article and query vectors for the benchmarks, cached on disk outside the repository.

    python benchmarks/vector_cache.py --set ../shared/evaldata/insuranceqa_zh [--subset 5000]
        [--queries 500] [--seed 0] [--articles-of ../shared/evaldata/insuranceqa_en]

Embeds (or finds in the cache) what a benchmark run will ask for, so the run itself is quick: the
articles of the set or of its subset (subsets.py) and the chosen queries. Vectors are keyed by the
hash of the embedded text (embedding.text_hash), so a changed text recipe or model embeds again and
an unchanged one never does. Cache: KM_CRM_VECTOR_CACHE or ~/.cache/km_crm/vectors.sqlite3.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from km_crm.search import embedding

CACHE = Path(os.environ.get("KM_CRM_VECTOR_CACHE", Path.home() / ".cache" / "km_crm" / "vectors.sqlite3"))
BATCH = 16


class VectorCache:
	def __init__(self, path: Path = CACHE) -> None:
		path.parent.mkdir(parents=True, exist_ok=True)
		self.db = sqlite3.connect(str(path), timeout=60)
		self.db.execute("create table if not exists vectors (key text primary key, vector blob)")
		self.embedded = 0  # texts embedded by this process (not found in the cache)
		self.seconds = 0.0

	def _get(self, keys: list[str]) -> dict[str, np.ndarray]:
		found = {}
		for i in range(0, len(keys), 500):
			part = keys[i : i + 500]
			rows = self.db.execute(
				f"select key, vector from vectors where key in ({','.join('?' * len(part))})", part
			)
			found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
		return found

	def _put(self, pairs) -> None:
		self.db.executemany(
			"insert or replace into vectors values (?, ?)",
			[(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in pairs],
		)
		self.db.commit()

	def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
		"""(n, DIM) vectors of passage texts (embedding.passage_text's output), embedding the missing."""
		keys = [embedding.text_hash(t) for t in texts]
		found = self._get(keys)
		missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
		start = time.perf_counter()
		for i in range(0, len(missing), BATCH):
			part = missing[i : i + BATCH]
			vectors = embedding.embed_passages([t for _k, t in part])
			self._put((k, v) for (k, _t), v in zip(part, vectors, strict=True))
			found.update((k, v) for (k, _t), v in zip(part, vectors, strict=True))
			if progress and (i // BATCH) % 20 == 0:
				done = i + len(part)
				rate = done / max(1e-9, time.perf_counter() - start)
				print(f"  embedded {done}/{len(missing)} ({rate:.1f}/s)", flush=True)
		self.embedded += len(missing)
		self.seconds += time.perf_counter() - start
		return np.stack([found[k] for k in keys]) if keys else np.zeros((0, embedding.DIM), np.float32)

	def queries(self, texts: list[str]) -> np.ndarray:
		keys = ["query\n" + embedding.text_hash(t) for t in texts]
		found = self._get(keys)
		missing = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in found]
		pairs = [(k, embedding.embed_query(t)) for k, t in missing]
		self._put(pairs)
		found.update(pairs)
		return np.stack([found[k] for k in keys]) if keys else np.zeros((0, embedding.DIM), np.float32)


def main(argv: list[str] | None = None) -> int:
	from subsets import load_set

	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--set", required=True, type=Path)
	parser.add_argument("--articles-of", type=Path, help="embed this set's articles (same ids) instead")
	parser.add_argument("--subset", type=int, default=None)
	parser.add_argument("--queries", type=int, default=None)
	parser.add_argument("--seed", type=int, default=0)
	args = parser.parse_args(argv)
	data = load_set(
		args.set, subset=args.subset, queries=args.queries, seed=args.seed, articles_of=args.articles_of
	)
	cache = VectorCache()
	print(f"{len(data.articles)} articles, {len(data.queries)} queries", flush=True)
	cache.queries([q["text"] for q in data.queries])
	cache.passages([embedding.passage_text(a["title"], a["body"]) for a in data.articles], progress=True)
	print(f"embedded {cache.embedded} new texts in {cache.seconds:.0f} s")
	return 0


if __name__ == "__main__":
	sys.exit(main())

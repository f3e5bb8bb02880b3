"""What the vector half of hybrid search costs: search time, memory, writes and the embedding rate.

    python benchmarks/vector_cost.py [--sizes 27413,274130] [--queries 500] [--noise 0.01]
        [--evaldata ../shared/evaldata] [--embed-passages 100] [--embed-queries 100]

Real article vectors come from the benchmark vector cache (vector_cache.py; whatever rows it holds),
tiled to each size with small gaussian noise (renormalised) and stored in a FileVectorStore in a
temporary folder. Per size, a separate process that only searches (as a web worker would) opens the
store and asks nearest(q, 100) for real query vectors from the cache: load time, wall and CPU
(all threads) p50/p95, its memory growth (RSS before and after loading, and the peak), and how often
the store's answer agrees with an exact float32 search over the same int8 rows. In the smallest size
that process then loads the model and embeds real query texts (cache cleared): query embedding
p50/p95 and embedding + vector half together. This process times put() of 1 and 500 new vectors
into the smallest store and of 1 into the largest, and the embedding rate of real passage texts.
Prints figures beside the targets of the feature, never pass/fail; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import percentile
from subsets import read_jsonl
from vector_cache import CACHE, VectorCache

from km_crm.search import embedding
from km_crm.search.vector_store import BINARY_ABOVE, FileVectorStore

DIM = embedding.DIM
K = 100
TARGET_VECTOR_P95_MS = 10.0  # the vector half at the largest size (274k vectors)
TARGET_RSS_GROWTH_MB = 150.0  # a web process's memory growth at 27k vectors
TARGET_QUERY_CPU_P95_MS = 50.0  # a whole query at 27k, embedding included (relevance.py measures it)
ROOT = Path(__file__).resolve().parent.parent


def rss_mb(field: str = "VmRSS") -> float:
	with open("/proc/self/status") as fh:
		for line in fh:
			if line.startswith(f"{field}:"):
				return int(line.split()[1]) / 1024
	return 0.0


def normalised(rows: np.ndarray) -> np.ndarray:
	return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def cached_vectors(path: Path) -> tuple[np.ndarray, np.ndarray]:
	"""(article vectors, query vectors) the benchmark cache holds now, in key order."""
	cache = VectorCache(path)
	passages, queries = [], []
	for key, blob in cache.db.execute("select key, vector from vectors order by key"):
		vector = np.frombuffer(blob, dtype=np.float32)
		if vector.shape != (DIM,):
			continue
		(queries if key.startswith("query\n") else passages).append(vector)
	cache.db.close()
	empty = np.zeros((0, DIM), np.float32)
	return (np.stack(passages) if passages else empty), (np.stack(queries) if queries else empty)


def tiled(base: np.ndarray, size: int, noise: float, seed: int) -> np.ndarray:
	"""`size` unit rows: the base rows over and over, each copy moved by gaussian noise."""
	rng = np.random.default_rng(seed)
	rows = base[np.arange(size) % len(base)].copy()
	for start in range(0, size, 50_000):  # in blocks: the noise never needs a second full matrix
		block = rows[start : start + 50_000]
		block += noise * rng.standard_normal(block.shape, dtype=np.float32)
		rows[start : start + 50_000] = normalised(block)
	return rows


def timed_ms(fn, *args) -> tuple[object, float, float]:
	"""(result, wall ms, process CPU ms: every thread of this process)."""
	c0, t0 = time.process_time(), time.perf_counter()
	result = fn(*args)
	return result, (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def figures(values: list[float]) -> dict:
	return {"p50": round(percentile(values, 50), 3), "p95": round(percentile(values, 95), 3)}


# ---- the searching process -------------------------------------------------------------------


def search_child(folder: str, queries_file: str, texts_file: str | None) -> dict:
	"""Runs in its own process: open the store, search, measure (see the module doc)."""
	queries = np.load(queries_file)
	rss0, peak0 = rss_mb(), rss_mb("VmHWM")
	store = FileVectorStore(folder, DIM)
	rows, load_wall, load_cpu = timed_ms(store.count)
	out = {
		"rows": rows,
		"path": "float32 in memory" if rows <= BINARY_ABOVE else "binary shortlist + int8 rescoring",
		"load_ms": round(load_wall, 1),
		"load_cpu_ms": round(load_cpu, 1),
		"rss_growth_mb": round(rss_mb() - rss0, 1),
		"peak_growth_mb": round(rss_mb("VmHWM") - peak0, 1),
	}
	for q in queries[:20]:  # warm-up, not measured
		store.nearest(q, K)
	wall, cpu, answers = [], [], []
	for q in queries:
		found, w, c = timed_ms(store.nearest, q, K)
		wall.append(w)
		cpu.append(c)
		answers.append([a for a, _g, _s in found])
	out["nearest_wall_ms"], out["nearest_cpu_ms"] = figures(wall), figures(cpu)
	out["rss_after_search_mb"] = round(rss_mb() - rss0, 1)
	out.update(exact_agreement(folder, store, queries[:100], answers[:100]))
	if texts_file:
		out.update(query_embedding(store, json.loads(Path(texts_file).read_text(encoding="utf-8"))))
		out["rss_growth_with_model_mb"] = round(rss_mb() - rss0, 1)
	return out


def exact_agreement(folder: str, store: FileVectorStore, queries: np.ndarray, answers: list) -> dict:
	"""How the store's top k compares with an exact float32 search over the same int8 rows."""
	manifest = json.loads(Path(folder, "manifest.json").read_text())
	stamp, rows = manifest["generation"], manifest["rows"]
	int8 = np.memmap(Path(folder, f"rows-{stamp}.i8"), dtype=np.int8, mode="r", shape=(rows, DIM))
	scales = np.fromfile(Path(folder, f"scales-{stamp}.f32"), dtype=np.float32)
	sims = np.empty((len(queries), rows), dtype=np.float32)
	for start in range(0, rows, 50_000):
		block = int8[start : start + 50_000].astype(np.float32) * scales[start : start + 50_000, None]
		sims[:, start : start + 50_000] = queries @ block.T
	ids = json.loads(Path(folder, f"ids-{stamp}.json").read_text())
	top1 = recall = 0.0
	for row, found in zip(sims, answers, strict=True):
		exact = np.argpartition(-row, K - 1)[:K]
		exact_ids = {ids[i][0] for i in exact}
		best = ids[int(exact[np.argmax(row[exact])])][0]
		top1 += found[0] == best
		recall += len(exact_ids.intersection(found)) / K
	return {
		"agrees_top1": round(top1 / len(answers), 3),
		"recall_at_100": round(recall / len(answers), 3),
	}


def query_embedding(store: FileVectorStore, texts: list[str]) -> dict:
	embedding.embed_query("warm up the model")  # loading is measured as memory, not per query
	embedding.clear_query_cache()
	embed_wall, embed_cpu, both_wall, both_cpu = [], [], [], []
	for text in texts:
		vector, w, c = timed_ms(embedding.embed_query, text)
		_found, w2, c2 = timed_ms(store.nearest, vector, K)
		embed_wall.append(w)
		embed_cpu.append(c)
		both_wall.append(w + w2)
		both_cpu.append(c + c2)
	return {
		"query_embed_wall_ms": figures(embed_wall),
		"query_embed_cpu_ms": figures(embed_cpu),
		"embed_plus_nearest_cpu_ms": figures(both_cpu),
		"embed_plus_nearest_wall_ms": figures(both_wall),
		"query_texts": len(texts),
	}


# ---- this process ----------------------------------------------------------------------------


def build(folder: Path, rows: np.ndarray) -> float:
	store = FileVectorStore(folder, DIM)
	t0 = time.perf_counter()
	store.put({f"VEC-{i}": ("tile", rows[i]) for i in range(len(rows))})
	return time.perf_counter() - t0


def put_cost(folder: Path, new: np.ndarray, prefix: str) -> dict:
	store = FileVectorStore(folder, DIM)
	vectors = {f"{prefix}-{i}": ("new", new[i]) for i in range(len(new))}
	_r, wall, cpu = timed_ms(store.put, vectors)
	return {"wall_ms": round(wall, 1), "cpu_ms": round(cpu, 1)}


def passage_rate(texts: list[str]) -> dict:
	count_tokens = embedding._load().token_count
	tokens = sum(count_tokens(t) for t in texts)
	embedding.embed_passages(texts[:2])  # warm-up
	c0, t0 = time.process_time(), time.perf_counter()
	for start in range(0, len(texts), 16):
		embedding.embed_passages(texts[start : start + 16])
	wall, cpu = time.perf_counter() - t0, time.process_time() - c0
	return {
		"passages": len(texts),
		"tokens": tokens,
		"wall_s": round(wall, 2),
		"cpu_s": round(cpu, 2),
		"articles_per_s": round(len(texts) / wall, 2),
		"tokens_per_s": round(tokens / wall, 1),
		"articles_per_cpu_s": round(len(texts) / cpu, 2),  # what one free core would do
		"tokens_per_cpu_s": round(tokens / cpu, 1),
	}


def sample_texts(evaldata: Path, kind: str, n: int, seed: int) -> list[str]:
	"""n real texts, half from each insurance set: passages (articles) or queries."""
	out = []
	for lang, count in (("zh", n // 2), ("en", n - n // 2)):
		folder = evaldata / f"insuranceqa_{lang}"
		records = read_jsonl(folder / ("articles.jsonl" if kind == "passages" else "queries.dev.jsonl"))
		for record in random.Random(seed).sample(records, count):
			if kind == "passages":
				out.append(embedding.passage_text(record.get("title") or "", record.get("body") or ""))
			else:
				out.append(record["text"])
	return out


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--sizes", default="27413,274130")
	parser.add_argument("--queries", type=int, default=500)
	parser.add_argument("--noise", type=float, default=0.01, help="gaussian noise per dimension")
	parser.add_argument("--seed", type=int, default=0)
	parser.add_argument("--cache", type=Path, default=CACHE)
	parser.add_argument("--evaldata", type=Path, default=ROOT.parent / "shared" / "evaldata")
	parser.add_argument("--embed-passages", type=int, default=100)
	parser.add_argument("--embed-queries", type=int, default=100)
	parser.add_argument(
		"--search-child", nargs=3, metavar=("FOLDER", "QUERIES", "TEXTS"), help=argparse.SUPPRESS
	)
	args = parser.parse_args(argv)
	if args.search_child:
		folder, queries, texts = args.search_child
		print(json.dumps(search_child(folder, queries, texts if texts != "-" else None)))
		return 0

	sizes = [int(s) for s in args.sizes.split(",")]
	passages, query_rows = cached_vectors(args.cache)
	rng = np.random.default_rng(args.seed)
	if len(query_rows) >= args.queries:
		queries = query_rows[rng.choice(len(query_rows), args.queries, replace=False)]
		query_source = f"{args.queries} of the cache's {len(query_rows)} query vectors"
	else:  # held-out article vectors, moved a little
		order = rng.permutation(len(passages))
		held, passages = passages[order[: args.queries]], passages[order[args.queries :]]
		queries = normalised(held + 0.02 * rng.standard_normal(held.shape, dtype=np.float32))
		query_source = f"{args.queries} held-out article vectors plus noise"
	if not len(passages):
		print(f"no article vectors in {args.cache}: run vector_cache.py first", file=sys.stderr)
		return 1
	print(f"base: {len(passages)} article vectors from {args.cache}; queries: {query_source}")
	print(f"tiles: each copy + N(0, {args.noise}^2) per dimension, renormalised; k = {K}")
	print(
		f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (wall figures include waiting for a core)"
	)
	have_model = embedding.available()
	have_sets = (args.evaldata / "insuranceqa_zh").is_dir() and (args.evaldata / "insuranceqa_en").is_dir()

	tmp = Path(tempfile.mkdtemp(prefix="km-vector-cost-"))
	summary: dict = {"base_vectors": len(passages), "noise": args.noise, "k": K}
	try:
		np.save(tmp / "queries.npy", queries)
		texts_file = "-"
		if have_model and have_sets:
			texts_file = str(tmp / "query_texts.json")
			Path(texts_file).write_text(
				json.dumps(sample_texts(args.evaldata, "queries", args.embed_queries, args.seed)),
				encoding="utf-8",
			)
		for n, size in enumerate(sizes):
			folder = tmp / f"store-{size}"
			rows = tiled(passages, size, args.noise, args.seed + 1 + n)
			write_s = build(folder, rows)
			del rows
			child = subprocess.run(
				[
					sys.executable,
					__file__,
					"--search-child",
					str(folder),
					str(tmp / "queries.npy"),
					texts_file if n == 0 else "-",
				],
				capture_output=True,
				text=True,
				check=True,
			)
			figures_of = json.loads(child.stdout.strip().splitlines()[-1])
			figures_of["first_write_s"] = round(write_s, 1)
			new = normalised(rng.standard_normal((500, DIM), dtype=np.float32))
			if n == 0:
				figures_of["put_1"] = put_cost(folder, new[:1], "ONE")
				figures_of["put_500"] = put_cost(folder, new, "MANY")
			else:
				figures_of["put_1"] = put_cost(folder, new[:1], "ONE")
			summary[str(size)] = figures_of
			report_size(size, figures_of)
			shutil.rmtree(folder, ignore_errors=True)
		if have_model and have_sets:
			rate = passage_rate(sample_texts(args.evaldata, "passages", args.embed_passages, args.seed))
			summary["passage_embedding"] = rate
			print(
				f"passage embedding: {rate['passages']} real passages ({rate['tokens']} tokens) in "
				f"{rate['wall_s']} s wall / {rate['cpu_s']} s CPU: {rate['articles_per_s']} articles/s, "
				f"{rate['tokens_per_s']} tokens/s ({rate['articles_per_cpu_s']} articles and "
				f"{rate['tokens_per_cpu_s']} tokens per CPU second)"
			)
		else:
			print(f"passage embedding: not measured (model available: {have_model}, sets: {have_sets})")
	finally:
		shutil.rmtree(tmp, ignore_errors=True)
	summary["load_average"] = round(os.getloadavg()[0], 2)
	print(f"\nload average at the end {summary['load_average']:.2f}")
	report_targets(summary, sizes)
	print(json.dumps(summary))
	return 0


def report_size(size: int, f: dict) -> None:
	print(f"\n{size:,} vectors ({f['path']}):")
	print(
		f"  first write {f['first_write_s']} s; a reader's load {f['load_ms']} ms ({f['load_cpu_ms']} ms CPU)"
	)
	print(
		f"  memory: RSS +{f['rss_growth_mb']} MB after loading (+{f['rss_after_search_mb']} MB after "
		f"the searches), peak +{f['peak_growth_mb']} MB"
		+ (
			f"; with the model and its queries +{f['rss_growth_with_model_mb']} MB"
			if "rss_growth_with_model_mb" in f
			else ""
		)
	)
	print(
		f"  nearest(q, {K}): wall p50 {f['nearest_wall_ms']['p50']} / p95 {f['nearest_wall_ms']['p95']} ms, "
		f"CPU p50 {f['nearest_cpu_ms']['p50']} / p95 {f['nearest_cpu_ms']['p95']} ms"
	)
	print(
		f"  against exact float32 over the same rows: top-1 agrees {f['agrees_top1']}, recall@{K} {f['recall_at_100']}"
	)
	if "query_embed_wall_ms" in f:
		e, both = f["query_embed_wall_ms"], f["embed_plus_nearest_cpu_ms"]
		print(
			f"  query embedding ({f['query_texts']} real queries, cache cleared): wall p50 {e['p50']} / "
			f"p95 {e['p95']} ms; embedding + nearest CPU p50 {both['p50']} / p95 {both['p95']} ms"
		)
	puts = ", ".join(
		f"{name.replace('_', ' ')}: {f[name]['wall_ms']} ms ({f[name]['cpu_ms']} ms CPU)"
		for name in ("put_1", "put_500")
		if name in f
	)
	print(f"  writes into it: {puts}")


def report_targets(summary: dict, sizes: list[int]) -> None:
	small, large = summary.get(str(min(sizes))), summary.get(str(max(sizes)))
	print("\ntargets (figures beside them; this benchmark passes or fails nothing):")
	if large:
		print(
			f"  vector half p95 <= {TARGET_VECTOR_P95_MS} ms at {max(sizes):,}: wall "
			f"{large['nearest_wall_ms']['p95']} ms, CPU {large['nearest_cpu_ms']['p95']} ms"
		)
	if small:
		print(
			f"  memory growth <= {TARGET_RSS_GROWTH_MB} MB at {min(sizes):,}: +{small['rss_growth_mb']} MB (store)"
		)
		if "embed_plus_nearest_cpu_ms" in small:
			print(
				f"  whole query CPU p95 <= {TARGET_QUERY_CPU_P95_MS} ms at {min(sizes):,}: embedding + vector half "
				f"{small['embed_plus_nearest_cpu_ms']['p95']} ms (the word half: relevance.py)"
			)


if __name__ == "__main__":
	sys.exit(main())

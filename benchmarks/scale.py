"""How search cost grows with the knowledge base: 1x, 4x and 10x corpora built from one evaluation set.

    python benchmarks/scale.py --set ../shared/evaldata/insuranceqa_en [--sizes 1,4,10]
        [--backend tantivy|elasticsearch] [--es-url URL] [--queries 500]

A corpus of size k holds the set's articles and k-1 copies of each with perturbed text (words or
Chinese characters dropped, repeated and swapped at random, fixed per copy), so the index grows with
realistic vocabulary and lengths. Per size, one process builds the index (indexing rate, its peak
memory) and another one, that only searches, runs the dev queries through our pipeline and a plain
engine query (as in relevance.py), interleaved: latency p50/p95 of both and the search process's
peak memory. MRR@10 counts a copy as its original. Prints figures, never pass/fail.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import (
	article_from_record,
	metrics_for,
	peak_rss_mb,
	percentile,
	plain_search,
	read_jsonl,
	timed,
)

from km_crm.search.documents import article_to_passages
from km_crm.search.factory import get_backend
from km_crm.search.service import search_articles

COPY_MARK = "~"


def perturb(text: str, rnd: random.Random) -> str:
	"""Text with about a fifth of its words (or Chinese characters) dropped, repeated or swapped."""
	if not text:
		return text
	spaced = " " in text
	units = text.split(" ") if spaced else list(text)
	out: list[str] = []
	for unit in units:
		roll = rnd.random()
		if roll < 0.08:
			continue
		out.append(unit)
		if roll > 0.95:
			out.append(unit)
	for i in range(len(out) - 1):
		if rnd.random() < 0.06:
			out[i], out[i + 1] = out[i + 1], out[i]
	return (" " if spaced else "").join(out)


def corpus(folder: Path, size: int):
	"""The set's articles, then size-1 perturbed copies of each (read from disk once per copy)."""
	for copy in range(size):
		for rec in read_jsonl(folder / "articles.jsonl"):
			if copy:
				rnd = random.Random(f"{rec['id']}{COPY_MARK}{copy}")
				rec = dict(
					rec,
					id=f"{rec['id']}{COPY_MARK}{copy}",
					title=perturb(rec.get("title") or "", rnd),
					body=perturb(rec.get("body") or "", rnd),
				)
			yield article_from_record(rec)


def _settings(args, index_path: str) -> dict:
	return {
		"backend": args.backend,
		"index_path": index_path,
		"es_url": args.es_url,
		"index_prefix": f"kmscale-{args.size}",
		"es_read_timeout": 5.0,
	}


def build(args) -> dict:
	backend = get_backend(_settings(args, args.index))
	backend.ensure_schema()
	n_articles = 0

	def passages():
		nonlocal n_articles
		for article in corpus(args.set, args.size):
			n_articles += 1
			yield from article_to_passages(article)

	started = time.perf_counter()
	n_passages = backend.rebuild(passages())
	seconds = time.perf_counter() - started
	backend.close()
	return {
		"articles": n_articles,
		"passages": n_passages,
		"index_per_s": round(n_articles / seconds, 1),
		"build_rss_mb": round(peak_rss_mb(), 1),
	}


def query(args) -> dict:
	backend = get_backend(_settings(args, args.index))
	queries = read_jsonl(args.set / "queries.dev.jsonl")[: args.queries]
	ours, plain, mrr = [], [], 0.0

	def search(text):
		return search_articles(backend, text, audiences=("Public",), limit=10)

	for q in queries[:50]:  # warm-up, not measured
		search(q["text"])
		plain_search(backend, q["text"])
	for i, q in enumerate(queries):
		runs = [(search, ours), (lambda text: plain_search(backend, text), plain)]
		for fn, times in runs if i % 2 == 0 else reversed(runs):
			result, wall, _cpu = timed(fn, q["text"])
			times.append(wall)
			if times is ours:
				ranked = [r.article_id.split(COPY_MARK)[0] for r in result]
				mrr += metrics_for(list(dict.fromkeys(ranked)), set(q["relevant"]))["mrr@10"]
	backend.close()
	return {
		"p50_ms": round(percentile(ours, 50), 2),
		"p95_ms": round(percentile(ours, 95), 2),
		"plain_p50_ms": round(percentile(plain, 50), 2),
		"plain_p95_ms": round(percentile(plain, 95), 2),
		"mrr@10": round(mrr / max(1, len(queries)), 4),
		"search_rss_mb": round(peak_rss_mb(), 1),
	}


def _child(args, role: str, index: str, size: int) -> dict:
	command = [sys.executable, __file__, "--set", str(args.set), "--backend", args.backend, "--role", role]
	command += ["--index", index, "--size", str(size), "--queries", str(args.queries)]
	if args.es_url:
		command += ["--es-url", args.es_url]
	out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
	return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--set", required=True, type=Path, help="folder with articles.jsonl")
	parser.add_argument("--sizes", default="1,4,10", help="corpus sizes, in copies of the set")
	parser.add_argument("--backend", default="tantivy", choices=("tantivy", "elasticsearch"))
	parser.add_argument("--es-url", default=os.environ.get("KM_CRM_ES_URL"))
	parser.add_argument("--queries", type=int, default=500, help="dev queries timed per size")
	parser.add_argument("--role", choices=("build", "query"), help=argparse.SUPPRESS)
	parser.add_argument("--index", help=argparse.SUPPRESS)
	parser.add_argument("--size", type=int, default=1, help=argparse.SUPPRESS)
	args = parser.parse_args(argv)
	if args.role:
		print(json.dumps(build(args) if args.role == "build" else query(args)))
		return 0

	print(f"{args.set.name} [{args.backend}], {args.queries} queries per size")
	print(
		f"{'size':>5} {'articles':>9} {'index/s':>8} {'build MB':>9} {'ours p50':>9} {'p95':>7} "
		f"{'plain p50':>10} {'p95':>7} {'p95 ratio':>9} {'search MB':>10} {'MRR@10':>7}"
	)
	for size in [int(s) for s in args.sizes.split(",")]:
		tmp = tempfile.mkdtemp(prefix="km_scale_")
		index = os.path.join(tmp, "index")
		try:
			built = _child(args, "build", index, size)
			asked = _child(args, "query", index, size)
		finally:
			if args.backend == "elasticsearch":
				backend = get_backend(dict(_settings(args, index), index_prefix=f"kmscale-{size}"))
				backend.drop()
				backend.close()
			shutil.rmtree(tmp, ignore_errors=True)
		ratio = asked["p95_ms"] / max(asked["plain_p95_ms"], 1e-9)
		print(
			f"{size:>4}x {built['articles']:>9} {built['index_per_s']:>8.0f} {built['build_rss_mb']:>9.0f} "
			f"{asked['p50_ms']:>9.2f} {asked['p95_ms']:>7.2f} {asked['plain_p50_ms']:>10.2f} "
			f"{asked['plain_p95_ms']:>7.2f} {ratio:>9.2f} {asked['search_rss_mb']:>10.0f} {asked['mrr@10']:>7.4f}",
			flush=True,
		)
	return 0


if __name__ == "__main__":
	raise SystemExit(main())

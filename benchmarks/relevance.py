"""Relevance and speed benchmark of km_crm search on a labelled evaluation set.

    python benchmarks/relevance.py --set ../shared/evaldata/stackfaq_en [--queries FILE]
        [--backend tantivy|elasticsearch] [--limit-queries N] [--half a|b] [--seed 0]
        [--subset 5000 [--sample-queries 500]] [--articles-of OTHER_SET]
        [--semantic [--word-weights 0.1,0.25,0.5]]

--subset: a deterministic subset (subsets.py): the drawn queries, their articles, random
distractors. --articles-of: ask the set's queries of another set's articles with the same ids (the
insurance sets: a Chinese question against the English articles). --semantic: article vectors
(cached on disk by vector_cache.py) go into the engine's vector store, and each query runs lexical
and hybrid on the same index, printed side by side (one hybrid row per --word-weights value).

Goes through the same code the app uses: documents.article_to_passages -> backend.rebuild, and
service.search_articles (analysis -> backend -> ranking) per query. Usage priors stay neutral.
Beside each query it times a plain engine query on the same index, so our overhead is a ratio
measured under the same load: tantivy's default query parser, or an Elasticsearch multi_match, over
the same text fields, given the query's analysed terms, top 10 with their article ids.
Prints figures (never pass/fail) and, last, one JSON line with the headline numbers.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from subsets import load_set

from km_crm.search import embedding
from km_crm.search.analysis import analyze_to_string
from km_crm.search.backend import TEXT_FIELDS
from km_crm.search.documents import article_to_passages, embedding_source
from km_crm.search.factory import get_backend
from km_crm.search.ranking import WORD_WEIGHT
from km_crm.search.service import search_articles


def plain_to_html(text: str) -> str:
	paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
	return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def article_from_record(rec: dict) -> dict:
	"""An evaluation record {id, title, body, lang} as the article dict the app indexes."""
	body = plain_to_html(rec.get("body") or "")
	return {
		"name": rec["id"],
		"title": html.escape(rec.get("title") or ""),
		"summary": None,
		"issue": None,
		"environment": None,
		"resolution": body or None,
		"cause": None,
		"language": rec.get("lang") or None,
		"audience": "Public",
		"status": "Published",
		"category_path": [],
		"items": [],
		"tags": [],
		"roles": [],
		"modified": "2024-01-01 00:00:00",
	}


def metrics_for(ranked: list[str], relevant: set[str]) -> dict[str, float]:
	rr = 0.0
	for i, article_id in enumerate(ranked[:10]):
		if article_id in relevant:
			rr = 1.0 / (i + 1)
			break
	recall5 = len(relevant.intersection(ranked[:5])) / len(relevant) if relevant else 0.0
	dcg = sum(1.0 / math.log2(i + 2) for i, a in enumerate(ranked[:10]) if a in relevant)
	idcg = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
	return {
		"mrr@10": rr,
		"recall@5": recall5,
		"ndcg@10": dcg / idcg if idcg else 0.0,
		"hit@1": 1.0 if ranked[:1] and ranked[0] in relevant else 0.0,
	}


def percentile(values: list[float], pct: float) -> float:
	ordered = sorted(values)
	if not ordered:
		return 0.0
	k = (len(ordered) - 1) * pct / 100.0
	lo, hi = math.floor(k), math.ceil(k)
	return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def plain_search(backend, text: str) -> list[str]:
	"""The engine's own query over the same fields and terms, no pipeline (the speed reference)."""
	terms = analyze_to_string(text)
	fields = [f"{name}_t" for name in TEXT_FIELDS]
	if hasattr(backend, "reader"):  # Elasticsearch
		response = backend.reader.search(
			index=backend.alias,
			query={"multi_match": {"query": terms, "fields": fields}},
			size=10,
			_source=["article_id"],
		)
		return [h["_source"]["article_id"] for h in response["hits"]["hits"]]
	index = backend._open_for_read()
	query, _errors = index.parse_query_lenient(terms, fields)
	searcher = index.searcher()
	return [searcher.doc(address).get_first("article_id") for _, address in searcher.search(query, 10).hits]


def plain_search_of(backend):
	return lambda text: plain_search(backend, text)


def peak_rss_mb() -> float:
	"""Peak resident memory of this process (VmHWM), in MB."""
	with open("/proc/self/status") as fh:
		for line in fh:
			if line.startswith("VmHWM:"):
				return int(line.split()[1]) / 1024
	return 0.0


def timed(fn, *args) -> tuple[object, float, float]:
	"""(result, wall ms, thread CPU ms)."""
	wall, cpu = time.perf_counter(), time.thread_time()
	result = fn(*args)
	return result, (time.perf_counter() - wall) * 1000.0, (time.thread_time() - cpu) * 1000.0


def select_queries(queries: list[dict], half: str | None, seed: int, limit: int | None) -> list[dict]:
	if half:
		order = list(range(len(queries)))
		random.Random(seed).shuffle(order)
		middle = len(order) // 2
		chosen = sorted(order[:middle] if half == "a" else order[middle:])
		queries = [queries[i] for i in chosen]
	return queries[:limit] if limit else queries


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--set", required=True, type=Path, help="folder with articles.jsonl")
	parser.add_argument("--queries", type=Path, help="queries jsonl (default: SET/queries.dev.jsonl)")
	parser.add_argument("--backend", default="tantivy", choices=("tantivy", "elasticsearch"))
	parser.add_argument("--limit-queries", type=int, default=None)
	parser.add_argument("--half", choices=("a", "b"), help="a random half of the queries (tune/confirm)")
	parser.add_argument("--seed", type=int, default=0, help="seed of the --half split and of --subset")
	parser.add_argument("--subset", type=int, default=None, help="articles in a deterministic subset")
	parser.add_argument(
		"--sample-queries", type=int, default=None, help="queries drawn (default 500 with --subset)"
	)
	parser.add_argument("--articles-of", type=Path, help="another set with the same article ids")
	parser.add_argument("--semantic", action="store_true", help="lexical and hybrid side by side")
	parser.add_argument(
		"--question-means",
		type=int,
		default=200,
		help="hybrid: the site's question means from this many other dev queries (0: none)",
	)
	parser.add_argument(
		"--word-weights", default="", help="hybrid rows: fusion word weights (default the app's)"
	)
	parser.add_argument("--es-url", default=os.environ.get("KM_CRM_ES_URL"))
	parser.add_argument(
		"--es-read-timeout", type=float, default=5.0, help="seconds (the app uses a short one; see es_compat)"
	)
	parser.add_argument(
		"--field-weights",
		default="",
		help="as in KM Search Settings, e.g. title=2,heading=1.5,text=1 (default: the engine's)",
	)
	args = parser.parse_args(argv)
	weights = {
		k.strip(): float(v) for k, _, v in (p.partition("=") for p in args.field_weights.split(",") if p)
	}
	sample = args.sample_queries or (500 if args.subset else None)
	data = load_set(
		args.set,
		subset=args.subset,
		queries=sample,
		seed=args.seed,
		queries_file=args.queries,
		articles_of=args.articles_of,
	)
	queries = select_queries(data.queries, args.half, args.seed, args.limit_queries)
	tmp = tempfile.mkdtemp(prefix="km_bench_")
	settings = {
		"backend": args.backend,
		"index_path": os.path.join(tmp, "index"),
		"es_url": args.es_url,
		"index_prefix": f"kmbench-{os.getpid()}",
		"field_weights": weights or None,
		"es_read_timeout": args.es_read_timeout,
	}
	backend = get_backend(settings)
	try:
		backend.ensure_schema()
		t0 = time.perf_counter()

		def passages():
			for rec in data.articles:
				yield from article_to_passages(article_from_record(rec))

		n_articles = len(data.articles)
		n_passages = backend.rebuild(passages())
		index_seconds = time.perf_counter() - t0
		print(
			f"{data.name}: indexed {n_articles} articles ({n_passages} passages) in {index_seconds:.2f}s "
			f"= {n_articles / index_seconds:.0f} articles/s"
		)
		if args.semantic:
			load_vectors(backend, data.articles)

		def lexical(text):
			return search_articles(backend, text, audiences=("Public",), limit=10)

		summary = evaluate(backend, queries, lexical, with_plain=True)
		summary.update(index_docs_per_s=round(n_articles / index_seconds, 1))
		label = f"{data.name} [{args.backend}]" + (
			f" half {args.half} (seed {args.seed})" if args.half else ""
		)
		print(f"{label}: {len(queries)} queries")
		report("lexical", summary, with_plain=True)
		print(
			f"  p95 ours/plain {summary['p95_ratio']:.2f}; indexing {summary['index_docs_per_s']:.0f} "
			f"articles/s; peak RSS {summary['peak_rss_mb']:.0f} MB"
		)
		if args.semantic:
			means = site_question_means(args, queries, backend) if args.question_means else None
			summary["hybrid"] = {}
			for w in [float(x) for x in args.word_weights.split(",") if x] or [WORD_WEIGHT]:

				def hybrid(text, w=w):
					return search_articles(
						backend,
						text,
						audiences=("Public",),
						limit=10,
						semantic=True,
						word_weight=w,
						question_means=means,
					)

				figures = evaluate(backend, queries, hybrid, with_plain=False)
				report(f"hybrid w={w:g}", figures, with_plain=False)
				summary["hybrid"][f"{w:g}"] = figures
		print(json.dumps(summary))
	finally:
		if args.backend == "elasticsearch":
			try:
				backend.drop()
			except Exception as exc:  # the figures are printed already; say why cleanup failed
				print(f"warning: could not drop benchmark index: {exc}", file=sys.stderr)
		backend.close()
		shutil.rmtree(tmp, ignore_errors=True)
	return 0


def site_question_means(args, measured: list[dict], backend) -> dict:
	"""The question means a site would hold from its search log: of --question-means dev queries that
	are not among the measured ones (drawn with the seed + 1), by language."""
	from subsets import read_jsonl
	from vector_cache import VectorCache

	from km_crm.search.analysis import detect_language
	from km_crm.search.hybrid import article_levels
	from km_crm.search.question_means import means, with_levels

	asked = {q["id"] for q in measured}
	others = [q for q in read_jsonl(args.queries or args.set / "queries.dev.jsonl") if q["id"] not in asked]
	random.Random(args.seed + 1).shuffle(others)
	others = others[: args.question_means]
	vectors = VectorCache().queries([q["text"] for q in others])
	by_lang: dict[str, list] = {}
	for q, vector in zip(others, vectors, strict=True):
		by_lang.setdefault(detect_language(q["text"]), []).append(vector)
	found = {lang: with_levels(m, article_levels(backend, m)) for lang, m in means(by_lang).items()}
	print(f"question means: {', '.join(f'{k} from {m.questions}' for k, m in found.items()) or 'none'}")
	return found


def load_vectors(backend, records: list[dict]) -> None:
	"""The articles' vectors (from the cache, embedding what is missing) into the engine's store."""
	from vector_cache import VectorCache

	cache = VectorCache()
	texts = [embedding.passage_text(*embedding_source(article_from_record(r))) for r in records]
	t0 = time.perf_counter()
	vectors = cache.passages(texts, progress=True)
	backend.vectors().put(
		{r["id"]: (embedding.text_hash(t), v) for r, t, v in zip(records, texts, vectors, strict=True)}
	)
	print(
		f"vectors: {len(records)} articles ({cache.embedded} embedded now, "
		f"{cache.embedded / max(cache.seconds, 1e-9):.1f}/s) stored in {time.perf_counter() - t0:.1f}s"
	)


def evaluate(backend, queries: list[dict], search, with_plain: bool) -> dict:
	"""Relevance and timing of `search` over the queries (with a plain engine query beside it)."""
	totals = {"mrr@10": 0.0, "recall@5": 0.0, "ndcg@10": 0.0, "hit@1": 0.0}
	ours, plain = {"wall": [], "cpu": []}, {"wall": [], "cpu": []}
	for q in queries[:50]:  # warm-up (page cache, lazy structures, the JVM, the model); not measured
		search(q["text"])
		if with_plain:
			plain_search(backend, q["text"])
	embedding.clear_query_cache()  # a measured query pays for its embedding (hybrid)
	for i, q in enumerate(queries):
		# alternate which goes first, so both see the same machine
		runs = ((search, ours), (plain_search_of(backend), plain)) if with_plain else ((search, ours),)
		for fn, times in runs if i % 2 == 0 else reversed(runs):
			result, wall, cpu = timed(fn, q["text"])
			times["wall"].append(wall)
			times["cpu"].append(cpu)
			if times is ours:
				m = metrics_for([r.article_id for r in result], set(q["relevant"]))
				for key, value in m.items():
					totals[key] += value
	n = max(1, len(queries))
	summary = {key: round(value / n, 4) for key, value in totals.items()}
	for name, times in (("", ours), ("plain_", plain)) if with_plain else (("", ours),):
		for kind in ("wall", "cpu"):
			suffix = "" if kind == "wall" else "_cpu"
			summary[f"{name}p50{suffix}_ms"] = round(percentile(times[kind], 50), 3)
			summary[f"{name}p95{suffix}_ms"] = round(percentile(times[kind], 95), 3)
	if with_plain:
		summary["p95_ratio"] = round(summary["p95_ms"] / max(summary["plain_p95_ms"], 1e-9), 2)
	summary.update(peak_rss_mb=round(peak_rss_mb(), 1), queries=len(queries))
	return summary


def report(name: str, summary: dict, with_plain: bool) -> None:
	print(
		f"  {name:<13} MRR@10 {summary['mrr@10']:.4f}  Recall@5 {summary['recall@5']:.4f}  "
		f"nDCG@10 {summary['ndcg@10']:.4f}  Hit@1 {summary['hit@1']:.4f}  "
		f"p50 {summary['p50_ms']:.2f} ms  p95 {summary['p95_ms']:.2f} ms (CPU p95 {summary['p95_cpu_ms']:.2f})"
	)
	if with_plain:
		print(
			f"  {'plain engine':<13} p50 {summary['plain_p50_ms']:.2f} ms  p95 {summary['plain_p95_ms']:.2f} ms "
			f"(CPU p95 {summary['plain_p95_cpu_ms']:.2f})"
		)


if __name__ == "__main__":
	raise SystemExit(main())

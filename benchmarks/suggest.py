"""Article suggestions on noisy tickets: relevance kept after cleaning, silence on what the knowledge
base cannot answer, and the pipeline's latency.

    python benchmarks/suggest.py --set ../shared/evaldata/insuranceqa_en [--set ...]
        [--half a|b] [--seed 0] [--limit-queries N] [--unanswerable 400] [--sweep]
        [--subset 5000 [--sample-queries 500]] [--semantic]

--subset/--sample-queries: the deterministic subset of relevance.py (subsets.py). --semantic: hybrid
search (article vectors from the cache of vector_cache.py); the cut-off is then the cosine's
(confidence.MIN_SEMANTIC for the questions' language) and the sweep varies it. --foreign SET: questions
of another knowledge base, which nothing here answers: the share still shown.

Per set: the articles are indexed into a temporary tantivy index as in relevance.py; each dev query
is wrapped in a noisy ticket (benchmarks/ticket_noise.py, fixed per query id) and searched three
ways: (a) the bare query, (b) the raw ticket text (subject + body, HTML turned into text), (c)
suggestion_query(subject, description, last_message). Prints MRR@5 of each, c/a, and the time of
the suggestion pipeline (suggestion_query + search), overall and on the ~2,000-character tickets,
as wall-clock and as thread CPU time (the latter is steadier on a busy machine).

Then the suggestion cut-off (km_crm/search/confidence.py), on two channels: "ticket" (c, what the
agent's panel searches) and "form" (the bare question, what a customer types in a ticket form).
Answerable: every selected query, MRR@5 of the suggestions without and with the cut-off. Unanswerable:
a sample of --unanswerable queries (seeded by --seed) asked again after their relevant articles were
deleted from the index; the share of them that still get any suggestion, without and with the
cut-off. --sweep prints the same figures for a grid of cut-off values (how the constants in
confidence.py were chosen). Never pass/fail.

All dev queries, 400 unanswerable, seed 0 (cut-off: coverage >= 0.1, score >= 0.5 x best):

    python benchmarks/suggest.py --set ../shared/evaldata/insuranceqa_zh --sweep  (then _en, bq_faq_zh)

| set | channel | MRR@5 before | MRR@5 after | kept | unanswerable shown before | after |
|---|---|---|---|---|---|---|
| insuranceqa_zh | ticket | 0.2464 | 0.2462 | 99.9% | 100.0% | 100.0% |
| insuranceqa_zh | form | 0.2485 | 0.2483 | 99.9% | 100.0% | 100.0% |
| insuranceqa_en | ticket | 0.3733 | 0.3732 | 100.0% | 100.0% | 100.0% |
| insuranceqa_en | form | 0.3750 | 0.3749 | 100.0% | 100.0% | 100.0% |
| bq_faq_zh | ticket | 0.1710 | 0.1659 | 97.0% | 100.0% | 99.8% |
| bq_faq_zh | form | 0.1887 | 0.1849 | 98.0% | 100.0% | 100.0% |

On these sets an unanswerable ticket cannot be told from an answerable one by its scores: in every
row of the sweep the share of MRR@5 kept and the share of unanswerable tickets still shown fall
together (bq_faq_zh tickets: coverage 0.6 keeps 21% of MRR@5 and shows 26% of unanswerable ones).
The labelled answer's neighbours (same product, same words; unlabelled near-duplicates) stay.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import article_from_record, load_vectors, metrics_for, percentile, select_queries
from subsets import load_set
from ticket_noise import make_ticket

from km_crm.knowledge.sanitize import html_to_text
from km_crm.search import confidence
from km_crm.search.documents import article_to_passages
from km_crm.search.factory import get_backend
from km_crm.search.service import search_articles
from km_crm.tickets.ticket_text import suggestion_query

SUGGESTIONS = 5
SWEEP_COVERAGE = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7)
SWEEP_RELATIVE = (0.0, 0.3, 0.4, 0.5, 0.6)
SWEEP_SEMANTIC = (0.0, 0.8, 0.82, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.92)
SEMANTIC = False  # --semantic: every search below is hybrid
LANG = "en"  # the language of the set's questions (its cut-off by meaning)


def _search(backend, text: str) -> list[str]:
	return [
		r.article_id
		for r in search_articles(backend, text, audiences=("Public",), limit=SUGGESTIONS, semantic=SEMANTIC)
	]


def _mrr5(ranked: list[str], relevant: set[str]) -> float:
	return metrics_for(ranked[:5], relevant)["mrr@10"]


def _suggest(backend, ticket) -> tuple[list[str], float, float]:
	"""Ranked ids and (wall ms, CPU ms) of cleaning + search."""
	wall, cpu = time.perf_counter(), time.thread_time()
	reply = ticket.body if ticket.is_reply else None  # a reply is also the ticket's latest message
	ranked = _search(backend, suggestion_query(ticket.subject, ticket.body, reply))
	return ranked, (time.perf_counter() - wall) * 1000.0, (time.thread_time() - cpu) * 1000.0


def _figures(label: str, values: list[float]) -> str:
	return f"{label} p50 {percentile(values, 50):.1f} / p95 {percentile(values, 95):.1f} ms"


def _scored(backend, text: str) -> list[tuple[str, float, float, float | None]]:
	"""(article, score, coverage, cosine) of the suggestions for text, best first, no cut-off."""
	results = search_articles(
		backend, text, audiences=("Public",), limit=SUGGESTIONS, measure_coverage=True, semantic=SEMANTIC
	)
	return [(r.article_id, r.score, r.coverage, r.semantic) for r in results]


def _cut(scored, min_coverage: float, min_relative: float, min_semantic: float = 0.0) -> list[str]:
	kept = confidence.confident(
		scored,
		score=lambda r: r[1],
		cover=lambda r: r[2],
		min_coverage=min_coverage,
		min_relative=min_relative,
		meaning=lambda r: r[3],
		min_semantic=min_semantic,
	)
	return [r[0] for r in kept]


def _cutoff_figures(answerable, unanswerable, *cut) -> tuple[float, float]:
	"""(MRR@5 of the answerable, share of the unanswerable with any suggestion) under a cut-off."""
	mrr = sum(_mrr5(_cut(scored, *cut), rel) for scored, rel in answerable)
	shown = sum(1 for scored in unanswerable if _cut(scored, *cut))
	return mrr / max(1, len(answerable)), shown / max(1, len(unanswerable))


def _ticket_text(ticket) -> str:
	return suggestion_query(ticket.subject, ticket.body, ticket.body if ticket.is_reply else None)


def run_set(
	data, half: str | None, seed: int, limit: int | None, sample: int, sweep: bool, foreign: list[dict] = ()
) -> None:
	global LANG
	folder = Path(data.name)
	queries = select_queries(data.queries, half, seed, limit)
	LANG = (queries[0].get("lang") if queries else None) or "en"
	tmp = tempfile.mkdtemp(prefix="km_suggest_")
	backend = get_backend({"backend": "tantivy", "index_path": os.path.join(tmp, "index")})
	try:
		backend.ensure_schema()
		t0 = time.perf_counter()
		n_articles = len(data.articles)

		def passages():
			for rec in data.articles:
				yield from article_to_passages(article_from_record(rec))

		backend.rebuild(passages())
		print(f"{folder.name}: indexed {n_articles} articles in {time.perf_counter() - t0:.1f}s")
		if SEMANTIC:
			load_vectors(backend, data.articles)
		tickets = [make_ticket(q) for q in queries]
		for q, ticket in list(zip(queries, tickets, strict=True))[:20]:  # warm-up, not measured
			_suggest(backend, ticket)
			_search(backend, q["text"])
		bare = raw = clean = 0.0
		wall, cpu, long_wall, long_cpu, long_chars = [], [], [], [], []
		answerable = {"ticket": [], "form": []}
		for q, ticket in zip(queries, tickets, strict=True):
			relevant = set(q["relevant"])
			bare += _mrr5(_search(backend, q["text"]), relevant)
			body = html_to_text(ticket.body) if ticket.is_html else ticket.body
			raw += _mrr5(_search(backend, f"{ticket.subject}\n{body}".strip()), relevant)
			ranked, wall_ms, cpu_ms = _suggest(backend, ticket)
			clean += _mrr5(ranked, relevant)
			wall.append(wall_ms)
			cpu.append(cpu_ms)
			if ticket.is_long:
				long_wall.append(wall_ms)
				long_cpu.append(cpu_ms)
				long_chars.append(len(body))
			answerable["ticket"].append((_scored(backend, _ticket_text(ticket)), relevant))
			answerable["form"].append((_scored(backend, q["text"]), relevant))
		n = max(1, len(queries))
		a, b, c = bare / n, raw / n, clean / n
		split = f" half {half} (seed {seed})" if half else ""
		print(f"{folder.name}{split}: {len(queries)} queries, {len(long_wall)} long tickets")
		print(f"  MRR@5  (a) bare query {a:.4f}  (b) raw ticket {b:.4f}  (c) suggestion_query {c:.4f}")
		print(f"  c/a {c / a if a else 0.0:.3f}  b/a {b / a if a else 0.0:.3f}")
		print(f"  pipeline  {_figures('wall', wall)}; {_figures('CPU', cpu)}")
		if long_wall:
			chars = f"{min(long_chars)}-{max(long_chars)} chars"
			print(f"  long tickets ({chars})  {_figures('wall', long_wall)}; {_figures('CPU', long_cpu)}")

		# unanswerable: the same kind of tickets, their answers taken out of the knowledge base
		chosen = random.Random(seed).sample(range(len(queries)), min(sample, len(queries)))
		backend.delete(sorted({a for i in chosen for a in queries[i]["relevant"]}))
		unanswerable = {
			"ticket": [_scored(backend, _ticket_text(tickets[i])) for i in chosen],
			"form": [_scored(backend, queries[i]["text"]) for i in chosen],
		}
		print(
			f"  cut-off (coverage >= {confidence.MIN_COVERAGE}, score >= {confidence.MIN_RELATIVE_SCORE} x best);"
			f" {len(chosen)} unanswerable (seed {seed})"
		)
		print("  | set | channel | MRR@5 before | MRR@5 after | kept | unanswerable shown before | after |")
		print("  |---|---|---|---|---|---|---|")
		for channel in ("ticket", "form"):
			before = _cutoff_figures(answerable[channel], unanswerable[channel], 0.0, 0.0)
			after = _cutoff_figures(
				answerable[channel],
				unanswerable[channel],
				confidence.MIN_COVERAGE,
				confidence.MIN_RELATIVE_SCORE,
				confidence.min_semantic_for(LANG),
			)
			kept = after[0] / before[0] if before[0] else 0.0
			print(
				f"  | {folder.name} | {channel} | {before[0]:.4f} | {after[0]:.4f} | {kept:.1%}"
				f" | {before[1]:.1%} | {after[1]:.1%} |"
			)
		if foreign:
			# questions of another knowledge base altogether: nothing here answers them
			asked = {
				"ticket": [_scored(backend, _ticket_text(make_ticket(q))) for q in foreign],
				"form": [_scored(backend, q["text"]) for q in foreign],
			}
			for channel in ("ticket", "form"):
				cut = (
					confidence.MIN_COVERAGE,
					confidence.MIN_RELATIVE_SCORE,
					confidence.min_semantic_for(LANG),
				)
				shown = [
					sum(1 for s in asked[channel] if _cut(s, *c)) / len(foreign) for c in ((0.0, 0.0), cut)
				]
				print(
					f"  {len(foreign)} questions of another set ({channel}): shown before {shown[0]:.1%},"
					f" after the cut-off {shown[1]:.1%}"
				)
		if sweep and SEMANTIC:
			for channel in ("ticket", "form"):
				base = _cutoff_figures(answerable[channel], unanswerable[channel], 0.0, 0.0)[0]
				print(
					f"  sweep {channel}: MRR@5 kept / unanswerable shown; rows least cosine, columns relative"
				)
				print("  cos \\ rel " + "".join(f"{r:>14}" for r in SWEEP_RELATIVE))
				for ms in SWEEP_SEMANTIC:
					cells = []
					for rel in SWEEP_RELATIVE:
						mrr, shown = _cutoff_figures(
							answerable[channel], unanswerable[channel], confidence.MIN_COVERAGE, rel, ms
						)
						cells.append(f"{mrr / base if base else 0.0:>7.1%}/{shown:>6.1%}")
					print(f"  {ms:>9.2f} " + "".join(cells))
		elif sweep:
			for channel in ("ticket", "form"):
				base = _cutoff_figures(answerable[channel], unanswerable[channel], 0.0, 0.0)[0]
				print(f"  sweep {channel}: MRR@5 kept / unanswerable shown; rows coverage, columns relative")
				print("  cov \\ rel " + "".join(f"{r:>14}" for r in SWEEP_RELATIVE))
				for cov in SWEEP_COVERAGE:
					cells = []
					for rel in SWEEP_RELATIVE:
						mrr, shown = _cutoff_figures(answerable[channel], unanswerable[channel], cov, rel)
						cells.append(f"{mrr / base if base else 0.0:>7.1%}/{shown:>6.1%}")
					print(f"  {cov:>9.2f} " + "".join(cells))
	finally:
		backend.close()
		shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--set", required=True, type=Path, action="append", help="folder with articles.jsonl")
	parser.add_argument("--half", choices=("a", "b"), help="a random half of the queries (tune/confirm)")
	parser.add_argument("--seed", type=int, default=0, help="seed of the --half split")
	parser.add_argument("--limit-queries", type=int, default=None)
	parser.add_argument(
		"--unanswerable", type=int, default=400, help="queries asked again without their articles"
	)
	parser.add_argument("--sweep", action="store_true", help="figures for a grid of cut-off values")
	parser.add_argument("--subset", type=int, default=None, help="articles in a deterministic subset")
	parser.add_argument(
		"--sample-queries", type=int, default=None, help="queries drawn (default 500 with --subset)"
	)
	parser.add_argument("--semantic", action="store_true", help="hybrid search (cached article vectors)")
	parser.add_argument("--foreign", type=Path, help="a set whose questions this one cannot answer")
	args = parser.parse_args(argv)
	global SEMANTIC
	SEMANTIC = args.semantic
	for folder in args.set:
		data = load_set(
			folder,
			subset=args.subset,
			queries=args.sample_queries or (500 if args.subset else None),
			seed=args.seed,
		)
		foreign = (
			load_set(args.foreign, queries=args.unanswerable, seed=args.seed).queries if args.foreign else []
		)
		run_set(data, args.half, args.seed, args.limit_queries, args.unanswerable, args.sweep, foreign)
	return 0


if __name__ == "__main__":
	raise SystemExit(main())

"""Article suggestions on noisy tickets: relevance kept after cleaning, and the pipeline's latency.

    python benchmarks/suggest.py --set ../shared/evaldata/insuranceqa_en [--set ...]
        [--half a|b] [--seed 0] [--limit-queries N]

Per set: the articles are indexed into a temporary tantivy index as in relevance.py; each dev query
is wrapped in a noisy ticket (benchmarks/ticket_noise.py, fixed per query id) and searched three
ways: (a) the bare query, (b) the raw ticket text (subject + body, HTML turned into text), (c)
suggestion_query(subject, description, last_message). Prints MRR@5 of each, c/a, and the time of
the suggestion pipeline (suggestion_query + search), overall and on the ~2,000-character tickets,
as wall-clock and as thread CPU time (the latter is steadier on a busy machine). Never pass/fail.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import articles_from_jsonl, metrics_for, percentile, read_jsonl, select_queries  # noqa: E402
from ticket_noise import make_ticket  # noqa: E402

from km_crm.integrations.ticket_text import suggestion_query  # noqa: E402
from km_crm.knowledge.sanitize import html_to_text  # noqa: E402
from km_crm.search.backend import get_backend  # noqa: E402
from km_crm.search.documents import article_to_passages  # noqa: E402
from km_crm.search.service import search_articles  # noqa: E402

SUGGESTIONS = 5


def _search(backend, text: str) -> list[str]:
	return [r.article_id for r in search_articles(backend, text, audiences=("Public",), limit=SUGGESTIONS)]


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


def run_set(folder: Path, half: str | None, seed: int, limit: int | None) -> None:
	queries = select_queries(read_jsonl(folder / "queries.dev.jsonl"), half, seed, limit)
	tmp = tempfile.mkdtemp(prefix="km_suggest_")
	backend = get_backend({"backend": "tantivy", "index_path": os.path.join(tmp, "index")})
	try:
		backend.ensure_schema()
		t0 = time.perf_counter()
		n_articles = 0

		def passages():
			nonlocal n_articles
			for article in articles_from_jsonl(folder / "articles.jsonl"):
				n_articles += 1
				yield from article_to_passages(article)

		backend.rebuild(passages())
		print(f"{folder.name}: indexed {n_articles} articles in {time.perf_counter() - t0:.1f}s")
		tickets = [make_ticket(q) for q in queries]
		for q, ticket in list(zip(queries, tickets, strict=True))[:20]:  # warm-up, not measured
			_suggest(backend, ticket)
			_search(backend, q["text"])
		bare = raw = clean = 0.0
		wall, cpu, long_wall, long_cpu, long_chars = [], [], [], [], []
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
	finally:
		backend.close()
		shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--set", required=True, type=Path, action="append", help="folder with articles.jsonl")
	parser.add_argument("--half", choices=("a", "b"), help="a random half of the queries (tune/confirm)")
	parser.add_argument("--seed", type=int, default=0, help="seed of the --half split")
	parser.add_argument("--limit-queries", type=int, default=None)
	args = parser.parse_args(argv)
	for folder in args.set:
		run_set(folder, args.half, args.seed, args.limit_queries)
	return 0


if __name__ == "__main__":
	raise SystemExit(main())

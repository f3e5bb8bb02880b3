"""Knowledge gaps from ticket clusters: how many real gaps the gap job finds, and how many it invents.

    python benchmarks/gaps.py --set ../shared/evaldata/stackfaq_en [--min-tickets 3]
    python benchmarks/gaps.py --set ../shared/evaldata/insuranceqa_zh --subset 5000 --queries 500 \
        --also ../shared/evaldata/insuranceqa_en --min-tickets 2      # zh and en tickets together
    [--remove 0.2] [--link-rate 0.0] [--seed 0] [--sweep]

A ticket history from an evaluation set: each query is a resolved ticket, its relevant article the
answer. A seeded share of the articles (--remove, 20%) is taken out of the knowledge base; a ticket
none of whose answers is left has no article: its problem is a gap. Tickets whose answer is still
there were linked to it by their agent with probability --link-rate (0: nobody links, the hardest
case: every ticket is a candidate and only the "a live article covers it" test keeps covered ones
out). The gap job's own rules (km_crm.knowledge.gap_clusters) group the candidates and drop covered
groups; a group of at least --min-tickets that remains is a reported gap.

Expected gaps: removed articles with at least --min-tickets tickets (among the drawn queries) that
have no other answer. A reported gap is real when most of its tickets have one removed article as
their answer; recall is the share of expected gaps some real reported gap names, precision the share
of reported gaps that are real (a second gap naming the same article counts as not real). With
--also, each query is asked twice (the set's language and the other's, same ids): a gap's tickets
then come in two languages.

Vectors come from vector_cache.py's cache (embedded on first use).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from subsets import load_set
from vector_cache import VectorCache

from km_crm.gaps import clusters as gap_clusters
from km_crm.search import embedding
from km_crm.search.hybrid import comparable_cosine


def history(sets, remove: float, link_rate: float, seed: int):
	"""(kept article ids, tickets): tickets are dicts {text, lang, answer, uncovered, linked}."""
	articles = sets[0].articles
	ids = sorted(a["id"] for a in articles)
	removed = set(random.Random(seed).sample(ids, round(remove * len(ids))))
	rng = random.Random(seed + 1)
	tickets = []
	for data in sets:
		for q in data.queries:
			relevant = list(q["relevant"])
			uncovered = all(r in removed for r in relevant)
			answer = relevant[0]
			tickets.append(
				{
					"text": q["text"],
					"lang": q.get("lang") or articles[0].get("lang"),
					"answer": answer,
					"uncovered": uncovered,
					"linked": (not uncovered) and rng.random() < link_rate,
				}
			)
	return removed, tickets


def expected_gaps(tickets, min_tickets: int) -> set[str]:
	"""Removed articles with at least min_tickets uncovered tickets (distinct questions)."""
	counts = Counter(t["answer"] for t in tickets if t["uncovered"])
	return {a for a, n in counts.items() if n >= min_tickets}


def reported_gaps(
	qv, av_kept, article_lang, tickets, group_cosine, cover_margin, min_tickets, allowance, use_twins=True
):
	"""The gap job's rules on the history: lists of ticket indexes."""
	candidates = [i for i, t in enumerate(tickets) if not t["linked"]]
	vectors = qv[candidates]
	sims = vectors @ av_kept.T
	nearest = sims.max(axis=1)
	nearest_ids = sims.argmax(axis=1)
	langs = [tickets[i]["lang"] for i in candidates]
	solved = [i for i, t in enumerate(tickets) if t["linked"]]
	twins = (
		gap_clusters.solved_twins(
			vectors,
			langs,
			qv[solved],
			[tickets[i]["lang"] for i in solved],
			group_cosine + gap_clusters.TWIN_COSINE - gap_clusters.GROUP_COSINE,
		)
		if use_twins
		else [None] * len(candidates)
	)
	nearest = [
		comparable_cosine(float(c), article_lang, lang) for c, lang in zip(nearest, langs, strict=True)
	]
	saved = gap_clusters.ALONE_MARGIN
	gap_clusters.ALONE_MARGIN = cover_margin
	try:
		gaps = []
		for group in gap_clusters.group_tickets(vectors, langs, group_cosine, allowance):
			if len(group.members) < min_tickets:
				continue
			members = list(group.members)
			covered = gap_clusters.is_covered(
				[nearest[m] for m in members],
				[langs[m] for m in members],
				[twins[m] for m in members],
				[str(nearest_ids[m]) for m in members],
			)
			if not covered:
				gaps.append([candidates[m] for m in members])
	finally:
		gap_clusters.ALONE_MARGIN = saved
	return gaps


def score(gaps, tickets, expected: set[str]) -> tuple[float, float, int]:
	named = set()
	real = 0
	for gap in gaps:
		answers = Counter(tickets[i]["answer"] for i in gap if tickets[i]["uncovered"])
		if not answers:
			continue
		article, count = answers.most_common(1)[0]
		if 2 * count > len(gap) and article in expected and article not in named:
			named.add(article)
			real += 1
	precision = real / len(gaps) if gaps else 1.0
	recall = len(named) / len(expected) if expected else 1.0
	return precision, recall, len(gaps)


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--set", required=True, type=Path)
	parser.add_argument("--also", type=Path, help="a set with the same ids in another language")
	parser.add_argument("--subset", type=int, default=None)
	parser.add_argument("--queries", type=int, default=None)
	parser.add_argument("--seed", type=int, default=0)
	parser.add_argument("--remove", type=float, default=0.2)
	parser.add_argument("--link-rate", type=float, default=0.0)
	parser.add_argument("--min-tickets", type=int, default=gap_clusters.DEFAULT_MIN_TICKETS)
	parser.add_argument("--group-cosine", type=float, default=gap_clusters.GROUP_COSINE)
	parser.add_argument("--alone-margin", type=float, default=gap_clusters.ALONE_MARGIN)
	parser.add_argument("--cross-allowance", type=float, default=gap_clusters.CROSS_LANGUAGE_ALLOWANCE)
	parser.add_argument("--no-twins", action="store_true", help="coverage by articles only")
	parser.add_argument("--sweep", action="store_true", help="a grid of group cosines and cover margins")
	args = parser.parse_args(argv)

	sets = [load_set(args.set, subset=args.subset, queries=args.queries, seed=args.seed)]
	if args.also:
		sets.append(load_set(args.also, subset=args.subset, queries=args.queries, seed=args.seed))
	cache = VectorCache()
	articles = sets[0].articles
	av = cache.passages([embedding.passage_text(a["title"], a["body"]) for a in articles])
	removed, tickets = history(sets, args.remove, args.link_rate, args.seed)
	qv = cache.queries([t["text"] for t in tickets])
	kept = np.array([a["id"] not in removed for a in articles])
	av_kept = av[kept]
	expected = expected_gaps(tickets, args.min_tickets)
	name = "+".join(s.name for s in sets)
	print(
		f"{name}: {len(articles)} articles ({len(removed)} removed), {len(tickets)} tickets "
		f"({sum(t['uncovered'] for t in tickets)} without an answer, {sum(t['linked'] for t in tickets)} linked), "
		f"min tickets {args.min_tickets}: {len(expected)} expected gaps"
	)
	grid = (
		[(g, m) for g in (0.88, 0.9, 0.92, 0.94) for m in (0.0, 0.02, 0.04, 0.06, 0.08)]
		if args.sweep
		else [(args.group_cosine, args.alone_margin)]
	)
	print(
		"| group cosine | cover cosine zh/en (article near one ticket only) | gaps reported | precision | recall |"
	)
	print("|---|---|---|---|---|")
	article_lang = articles[0].get("lang") or ""
	for group_cosine, margin in grid:
		gaps = reported_gaps(
			qv,
			av_kept,
			article_lang,
			tickets,
			group_cosine,
			margin,
			args.min_tickets,
			args.cross_allowance,
			not args.no_twins,
		)
		precision, recall, count = score(gaps, tickets, expected)
		cover = "/".join(f"{gap_clusters.cover_cosine(k):.2f}" for k in ("zh", "en"))
		cover += " (" + "/".join(f"{gap_clusters.cover_cosine(k) + margin:.2f}" for k in ("zh", "en")) + ")"
		print(f"| {group_cosine:.2f} | {cover} | {count} | {precision:.3f} | {recall:.3f} |")
	return 0


if __name__ == "__main__":
	sys.exit(main())

"""Routing benchmark: does km_crm's expert ranking name the agent who will resolve a ticket?

    python benchmarks/routing.py --set ../shared/evaldata/insuranceqa_en [--seed 0]
        [--agents 14] [--history 0.7] [--specialist 0.75]

A resolved-ticket history is built from the real questions of a labelled set (a question is a
ticket; what it is about is its topic):
* topics: the question's `domain` where the set has one (InsuranceQA: life, auto, medicare...);
  otherwise its answer cluster hashed into ten topics (BQ, StackFAQ: a stand-in, said so below);
* the ticket's category, as a customer picks it, is coarser than the topic (topics grouped in
  pairs or by kind of insurance), wrong 20% of the time and missing 10%;
* simulated agents each specialise in one or two topics; the resolver of a ticket is a specialist
  of its topic with probability --specialist (the one with most room, by chance weighted by free
  capacity), else anybody available (noise); agents are away for a stretch of days and have a
  capacity; tickets stay open for an exponential time (mean 10 hours), which is their load;
* the answers of the set are knowledge articles written by a specialist of the topic.
Time order: the first --history share of tickets is the past; the rest are routed one by one
with the load and absences of their moment, and each becomes evidence once resolved.

Compared, each on the same moment's facts (nobody suggests an agent who is away): km_crm's
ExpertIndex.rank (text evidence, skills, availability, load), round robin (Frappe's Assignment Rule
rotation), load balancing (fewest open tickets) and "most tickets in this category". Prints P@1
and MRR@5 of the actual resolver, the margins, and the time per recommendation; last, one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from km_crm.experts import expertise as X
from km_crm.search.analysis import analyze

START = date(2026, 1, 1)
TICKETS_PER_HOUR = 1.0
MEAN_OPEN_HOURS = 10.0
CAPACITY = 6
HASHED_TOPICS = 10
INSURANCE_KIND = {
	"life-insurance": "Life and retirement",
	"annuities": "Life and retirement",
	"retirement-plans": "Life and retirement",
	"medicare-insurance": "Health",
	"health-insurance": "Health",
	"disability-insurance": "Health",
	"long-term-care-insurance": "Health",
	"critical-illness-insurance": "Health",
	"auto-insurance": "Property",
	"home-insurance": "Property",
	"renters-insurance": "Property",
	"other-insurance": "Property",
}


def load(folder: Path) -> tuple[list[dict], dict[str, dict], bool]:
	queries = [json.loads(line) for line in (folder / "queries.dev.jsonl").open(encoding="utf-8")]
	wanted = {q["relevant"][0] for q in queries}
	articles = {}
	with (folder / "articles.jsonl").open(encoding="utf-8") as f:
		for line in f:
			a = json.loads(line)
			if a["id"] in wanted:
				articles[a["id"]] = a
	real_topics = all(q.get("domain") for q in queries)
	for q in queries:
		cluster = q["relevant"][0]
		if real_topics:
			q["topic"], q["category"] = q["domain"], INSURANCE_KIND.get(q["domain"], "Other")
		else:
			n = int(hashlib.sha1(cluster.encode()).hexdigest(), 16) % HASHED_TOPICS
			q["topic"], q["category"] = f"topic-{n}", f"group-{n // 2}"
	return queries, articles, real_topics


def simulate(queries, articles, args):
	rng = random.Random(args.seed)
	rng.shuffle(queries)
	topics = sorted({q["topic"] for q in queries}, key=lambda t: (-sum(q["topic"] == t for q in queries), t))
	agents = [f"agent{i:02d}" for i in range(args.agents)]
	specialists = {
		t: [agents[(2 * i) % len(agents)], agents[(2 * i + 1) % len(agents)]] for i, t in enumerate(topics)
	}
	hours = len(queries) / TICKETS_PER_HOUR
	away = {}
	for a in agents:
		length = rng.uniform(5, 12) * 24
		start = rng.uniform(0, max(1.0, hours - length))
		away[a] = (start, start + length)
	categories = sorted({q["category"] for q in queries})
	tickets, open_until = [], defaultdict(list)
	for k, q in enumerate(queries):
		t = k / TICKETS_PER_HOUR
		present = [a for a in agents if not away[a][0] <= t < away[a][1]]
		load = {a: sum(1 for end in open_until[a] if end > t) for a in agents}
		room = {a: max(0.1, CAPACITY - load[a]) for a in present}
		pool = [a for a in specialists[q["topic"]] if a in room]
		if not pool or rng.random() >= args.specialist:
			pool = present
		resolver = rng.choices(pool, weights=[room[a] for a in pool])[0]
		open_until[resolver].append(t + rng.expovariate(1 / MEAN_OPEN_HOURS))
		shown = q["category"]
		r = rng.random()
		if r < 0.1:
			shown = ""
		elif r < 0.3:
			shown = rng.choice([c for c in categories if c != q["category"]] or categories)
		tickets.append(
			{
				"id": q["id"],
				"t": t,
				"day": START + timedelta(hours=t),
				"terms": tuple(analyze(q["text"])),
				"category": shown,
				"topic": q["topic"],
				"article": q["relevant"][0],
				"resolver": resolver,
				"present": present,
				"load": load,
			}
		)
	authors = {}
	for q in queries:
		a = q["relevant"][0]
		if a in articles and a not in authors:
			authors[a] = (specialists[q["topic"]][0], q["topic"])
	return agents, tickets, authors, articles


def evidence_of(ticket) -> X.Evidence:
	skills = (f"category:{ticket['category']}",) if ticket["category"] else ()
	return X.Evidence(ticket["resolver"], X.RESOLVED, ticket["id"], ticket["day"], ticket["terms"], skills)


def metrics(ranks: list[int | None]) -> tuple[float, float]:
	p1 = sum(1 for r in ranks if r == 1) / len(ranks)
	mrr = sum(1 / r for r in ranks if r and r <= 5) / len(ranks)
	return p1, mrr


def rank_of(user, ranking) -> int | None:
	return ranking.index(user) + 1 if user in ranking else None


def run(args) -> dict:
	folder = Path(args.set)
	queries, articles, real_topics = load(folder)
	agents, tickets, authors, articles = simulate(queries, articles, args)
	split = int(len(tickets) * args.history)
	past, future = tickets[:split], tickets[split:]
	evidence = [evidence_of(t) for t in past]
	for article, (author, _topic) in authors.items():
		a = articles[article]
		evidence.append(
			X.Evidence(
				author,
				X.AUTHORED,
				article,
				START,
				tuple(analyze(f"{a.get('title', '')} {a.get('body', '')}")),
			)
		)
	started = time.perf_counter()
	index = X.ExpertIndex(evidence, past[-1]["day"] if past else START)
	build_ms = (time.perf_counter() - started) * 1000
	by_category = defaultdict(Counter)
	for t in past:
		by_category[t["category"]][t["resolver"]] += 1
	ranks = defaultdict(list)
	timings = []
	pointer = 0
	for t in future:
		present = set(t["present"])
		people = {
			a: X.Person(X.AVAILABLE if a in present else X.AWAY, t["load"][a], CAPACITY) for a in agents
		}
		index.today = t["day"]
		started = time.perf_counter()
		ours = [
			s.user
			for s in index.rank(
				t["terms"], (f"category:{t['category']}",) if t["category"] else (), people, agents, limit=5
			)
		]
		timings.append((time.perf_counter() - started) * 1000)
		# ours lists people with evidence; fill up with the least loaded, as routing would
		ours += [a for a in sorted(present, key=lambda a: (t["load"][a], a)) if a not in ours]
		ranks["km_crm experts"].append(rank_of(t["resolver"], ours[:5]))
		rotation = [agents[(pointer + i) % len(agents)] for i in range(len(agents))]
		rotation = [a for a in rotation if a in present]
		ranks["round robin"].append(rank_of(t["resolver"], rotation[:5]))
		pointer = (agents.index(rotation[0]) + 1) % len(agents) if rotation else pointer
		balanced = sorted(present, key=lambda a: (t["load"][a], a))
		ranks["load balancing"].append(rank_of(t["resolver"], balanced[:5]))
		counts = by_category[t["category"]]
		category = sorted(present, key=lambda a: (-counts[a], t["load"][a], a))
		ranks["most tickets in category"].append(rank_of(t["resolver"], category[:5]))
		by_category[t["category"]][t["resolver"]] += 1
		index.add(evidence_of(t))
		if len(timings) % 50 == 0:
			index.refresh(t["day"])
	results = {name: metrics(r) for name, r in ranks.items()}
	timings.sort()
	return {
		"set": folder.name,
		"topics": "real (domain)" if real_topics else f"hashed answer clusters ({HASHED_TOPICS}), a stand-in",
		"tickets": len(tickets),
		"history": len(past),
		"routed": len(future),
		"agents": len(agents),
		"results": results,
		"build_ms": build_ms,
		"ms_p50": timings[len(timings) // 2],
		"ms_p95": timings[min(len(timings) - 1, math.ceil(len(timings) * 0.95) - 1)],
	}


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--set", required=True)
	parser.add_argument("--seed", type=int, default=0)
	parser.add_argument("--agents", type=int, default=14)
	parser.add_argument("--history", type=float, default=0.7)
	parser.add_argument("--specialist", type=float, default=0.75)
	args = parser.parse_args()
	out = run(args)
	print(
		f"{out['set']}: {out['tickets']} tickets ({out['history']} past, {out['routed']} routed), {out['agents']} agents"
	)
	print(f"topics: {out['topics']}; specialist share {args.specialist}, seed {args.seed}")
	ours = out["results"]["km_crm experts"]
	print(f"{'method':28} {'P@1':>7} {'MRR@5':>7}   margin of km_crm (P@1, MRR@5)")
	for name, (p1, mrr) in out["results"].items():
		margin = "" if name == "km_crm experts" else f"   {ours[0] - p1:+.3f}, {ours[1] - mrr:+.3f}"
		print(f"{name:28} {p1:7.3f} {mrr:7.3f}{margin}")
	print(
		f"index build {out['build_ms']:.0f} ms; per recommendation p50 {out['ms_p50']:.2f} ms, p95 {out['ms_p95']:.2f} ms"
	)
	print(json.dumps(out, default=str))


if __name__ == "__main__":
	main()

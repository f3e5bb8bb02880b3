"""Evaluation sets and their deterministic subsets, as the benchmarks read them.

A subset of n articles: `queries` dev queries drawn with random.Random(seed), every article relevant
to one of them, then random distractors (the same seed) up to n. Sets that share article ids (the
two InsuranceQA languages) give the same subset, so a query of one can be asked of the other's
articles (`articles_of`): the cross-language measurement.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass
class EvalSet:
	name: str
	articles: list[dict]  # {id, title, body, lang}
	queries: list[dict]  # {id, text, lang, relevant}


def read_jsonl(path: Path) -> list[dict]:
	with open(path, encoding="utf-8") as fh:
		return [json.loads(line) for line in fh if line.strip()]


def load_set(
	folder: Path,
	*,
	subset: int | None = None,
	queries: int | None = None,
	seed: int = 0,
	queries_file: Path | None = None,
	articles_of: Path | None = None,
) -> EvalSet:
	"""The set in `folder` (its articles, or those of `articles_of`, a set with the same ids), cut to
	`queries` drawn queries and a `subset` of articles when asked."""
	all_queries = read_jsonl(queries_file or folder / "queries.dev.jsonl")
	articles = read_jsonl((articles_of or folder) / "articles.jsonl")
	chosen = all_queries
	if queries and queries < len(all_queries):
		picked = sorted(random.Random(seed).sample(range(len(all_queries)), queries))
		chosen = [all_queries[i] for i in picked]
	if subset and subset < len(articles):
		ids = [a["id"] for a in articles]
		keep = {r for q in chosen for r in q["relevant"]}
		others = [i for i in ids if i not in keep]
		random.Random(seed).shuffle(others)
		keep.update(others[: max(0, subset - len(keep))])
		articles = [a for a in articles if a["id"] in keep]
	name = folder.name if not articles_of else f"{folder.name}->{articles_of.name}"
	return EvalSet(name, articles, chosen)

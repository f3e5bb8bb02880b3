"""How much nearer the model puts an answer in the question's own language than the same answer in
the other language: the figure behind hybrid.CROSS_LANGUAGE_ALLOWANCE.

    python benchmarks/cross_language.py [--evaldata ../shared/evaldata] [--subset 5000] [--queries 500]

The two InsuranceQA sets hold every question and answer in English and in Chinese under the same ids.
For each drawn question (subsets.py), the cosine of its labelled answer in its own language and in
the other language, both directions, from the vectors of vector_cache.py (embedded when missing).
Prints the mean and quartiles of the difference, and the same for the nearest unrelated answers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import article_from_record
from subsets import load_set
from vector_cache import VectorCache

from km_crm.search import embedding
from km_crm.search.documents import embedding_source


def vectors(cache: VectorCache, records: list[dict]) -> dict[str, np.ndarray]:
	texts = [embedding.passage_text(*embedding_source(article_from_record(r))) for r in records]
	return dict(zip([r["id"] for r in records], cache.passages(texts), strict=True))


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument(
		"--evaldata", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "evaldata"
	)
	parser.add_argument("--subset", type=int, default=5000)
	parser.add_argument("--queries", type=int, default=500)
	args = parser.parse_args(argv)
	cache = VectorCache()
	sets = {
		lang: load_set(args.evaldata / f"insuranceqa_{lang}", subset=args.subset, queries=args.queries)
		for lang in ("zh", "en")
	}
	articles = {lang: vectors(cache, data.articles) for lang, data in sets.items()}
	for lang, other in (("zh", "en"), ("en", "zh")):
		data = sets[lang]
		queries = cache.queries([q["text"] for q in data.queries])
		own, across, gap, unrelated_gap = [], [], [], []
		ids = list(articles[other])
		matrix = np.stack([articles[other][i] for i in ids])
		for q, v in zip(data.queries, queries, strict=True):
			for a in q["relevant"]:
				if a in articles[lang] and a in articles[other]:
					same, cross = float(articles[lang][a] @ v), float(articles[other][a] @ v)
					own.append(same)
					across.append(cross)
					gap.append(same - cross)
			# the best unrelated answer in the other language, against the best in the question's own
			relevant = set(q["relevant"])
			best_cross = max(float(s) for i, s in zip(ids, matrix @ v, strict=True) if i not in relevant)
			own_matrix = np.stack([articles[lang][i] for i in ids])
			best_own = max(float(s) for i, s in zip(ids, own_matrix @ v, strict=True) if i not in relevant)
			unrelated_gap.append(best_own - best_cross)
		quart = lambda xs: " / ".join(f"{x:.3f}" for x in np.percentile(xs, [25, 50, 75]))  # noqa: E731
		print(f"{lang} questions ({len(data.queries)}), labelled answers in {lang} and in {other}:")
		print(f"  cosine, own language: mean {np.mean(own):.3f} (quartiles {quart(own)})")
		print(f"  cosine, other language: mean {np.mean(across):.3f} (quartiles {quart(across)})")
		print(f"  own - other: mean {np.mean(gap):.3f} (quartiles {quart(gap)})")
		print(
			f"  best unrelated answer, own - other: mean {np.mean(unrelated_gap):.3f} (quartiles {quart(unrelated_gap)})"
		)
	return 0


if __name__ == "__main__":
	raise SystemExit(main())

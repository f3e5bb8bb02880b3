"""Where a site's questions sit, per language (pure: no Frappe): what lets a question find the answer
written in the other language.

The model puts every question of one language near one point: the mean of that language's questions
on this site (its language and its domain). An answer in the other language that lies near that point
is near every such question, not this one (a "hub"), and pushes the right answer down. Across
languages the vector half therefore reads each answer's cosine less its closeness to the mean of the
question's language, measured from that mean among the candidates of the answer's language (so the
cosines keep their level, and the cut-offs theirs). Answers in the question's own language are left as
they are (there it loses: measured).

Measured on the insurance 5k subsets (benchmarks/relevance.py --articles-of; means of 200 other
questions of the same set): vector alone en->zh 0.224 -> 0.338, zh->en 0.305 -> 0.362. Means of
another domain's questions do not help (bank questions for Chinese, web-app ones for English: 0.23 /
0.26): the means must come from the site's own questions (its search log).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import numpy as np

MIN_QUESTIONS = 30  # a language's mean is kept only from at least this many questions


def means(vectors_by_lang: Mapping[str, Iterable]) -> dict[str, np.ndarray]:
	"""{lang: mean question vector} of the languages with at least MIN_QUESTIONS question vectors."""
	found = {}
	for lang, vectors in vectors_by_lang.items():
		rows = [np.asarray(v, dtype=np.float32) for v in vectors]
		if lang and len(rows) >= MIN_QUESTIONS:
			found[lang] = np.mean(np.stack(rows), axis=0).astype(np.float32)
	return found


def to_json(found: Mapping[str, np.ndarray], counts: Mapping[str, int] | None = None) -> str:
	return json.dumps(
		{
			lang: {"mean": [round(float(x), 6) for x in vector], "questions": (counts or {}).get(lang)}
			for lang, vector in found.items()
		}
	)


def from_json(text: str | None) -> dict[str, np.ndarray]:
	"""to_json's means back ({} for empty or damaged text)."""
	try:
		data = json.loads(text or "{}")
	except ValueError:
		return {}
	if not isinstance(data, dict):
		return {}
	found = {}
	for lang, entry in data.items():
		mean = entry.get("mean") if isinstance(entry, dict) else None
		if isinstance(mean, list) and mean:
			found[lang] = np.asarray(mean, dtype=np.float32)
	return found


def hub_corrections(closeness: Mapping[int, float], langs: Mapping[int, str]) -> dict[int, float]:
	"""{group: what to subtract from its cosine}: its closeness to the mean of the question's language,
	less the average closeness of the candidates in its own language (so each language's cosines keep
	their level). `closeness`: {group: mean . unit article vector}; `langs`: {group: article language}."""
	by_lang: dict[str, list[float]] = {}
	for group, value in closeness.items():
		by_lang.setdefault(langs.get(group, ""), []).append(value)
	average = {lang: sum(values) / len(values) for lang, values in by_lang.items()}
	return {group: value - average[langs.get(group, "")] for group, value in closeness.items()}

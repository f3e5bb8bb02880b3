"""Where a site's questions sit, per language (pure: no Frappe): what lets a question find the answer
written in the other language.

The model puts every question of one language near one point: the mean of that language's questions
on this site (its language and its domain). An answer in the other language that lies near that point
is near every such question, not this one (a "hub"), and pushes the right answer down. Across
languages the vector half therefore reads each answer's cosine less how much nearer that point it is
than the articles of its language are on average (LanguageMean.levels, measured over the store; among
the candidates when unknown), so the cosines keep their level and the cut-offs theirs. Answers in the
question's own language are left as they are (there it loses: measured).

Measured on the insurance 5k subsets (benchmarks/relevance.py --articles-of; means of 200 other
questions of the same set): vector alone en->zh 0.224 -> 0.338, zh->en 0.305 -> 0.362. Means of
another domain's questions do not help (bank questions for Chinese, web-app ones for English: 0.23 /
0.26): the means must come from the site's own questions (its search log).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

MIN_QUESTIONS = 30  # a language's mean is kept only from at least this many questions


@dataclass(frozen=True)
class LanguageMean:
	"""The mean vector of one language's questions, from how many, and `levels`: {article language:
	the average closeness (mean . unit vector) of the store's articles in that language}."""

	vector: np.ndarray
	questions: int = 0
	levels: Mapping[str, float] = field(default_factory=dict)

	def unit(self) -> tuple[np.ndarray, float]:
		"""(the mean as a unit vector, its norm): engines read cosines with unit vectors."""
		norm = float(np.linalg.norm(self.vector))
		return (self.vector / norm if norm else self.vector), norm


def means(vectors_by_lang: Mapping[str, Iterable]) -> dict[str, LanguageMean]:
	"""{lang: LanguageMean} of the languages with at least MIN_QUESTIONS question vectors."""
	found = {}
	for lang, vectors in vectors_by_lang.items():
		rows = [np.asarray(v, dtype=np.float32) for v in vectors]
		if lang and len(rows) >= MIN_QUESTIONS:
			found[lang] = LanguageMean(np.mean(np.stack(rows), axis=0).astype(np.float32), len(rows))
	return found


def with_levels(mean: LanguageMean, levels: Mapping[str, float]) -> LanguageMean:
	return LanguageMean(mean.vector, mean.questions, dict(levels))


def levels_of(closeness: Iterable[float], langs: Iterable[str]) -> dict[str, float]:
	"""{article language: average closeness} of articles given in the same order as their languages."""
	sums: dict[str, list[float]] = {}
	for value, lang in zip(closeness, langs, strict=True):
		entry = sums.setdefault(lang or "", [0.0, 0])
		entry[0] += value
		entry[1] += 1
	return {lang: total / n for lang, (total, n) in sums.items() if lang}


def to_json(found: Mapping[str, LanguageMean]) -> str:
	return json.dumps(
		{
			lang: {
				"mean": [round(float(x), 6) for x in m.vector],
				"questions": m.questions,
				"levels": {k: round(float(v), 6) for k, v in m.levels.items()},
			}
			for lang, m in found.items()
		}
	)


def from_json(text: str | None) -> dict[str, LanguageMean]:
	"""to_json's means back ({} for empty or damaged text)."""
	try:
		data = json.loads(text or "{}")
	except ValueError:
		return {}
	if not isinstance(data, dict):
		return {}
	found = {}
	for lang, entry in data.items():
		if not isinstance(entry, dict):
			continue
		mean, levels = entry.get("mean"), entry.get("levels")
		if not (isinstance(mean, list) and mean):
			continue
		try:
			vector = np.asarray(mean, dtype=np.float32)
			levels = {str(k): float(v) for k, v in levels.items()} if isinstance(levels, dict) else {}
		except (TypeError, ValueError):
			continue
		found[lang] = LanguageMean(vector, int(entry.get("questions") or 0), levels)
	return found


def hub_corrections(
	closeness: Mapping[int, float], langs: Mapping[int, str], levels: Mapping[str, float] | None = None
) -> dict[int, float]:
	"""{group: what to subtract from its cosine}: its closeness to the mean of the question's language
	less the level of its own language's articles (`levels`; for a language it lacks, the average of
	the candidates in that language). `closeness`: {group: mean . unit article vector}; `langs`:
	{group: article language}."""
	by_lang: dict[str, list[float]] = {}
	for group, value in closeness.items():
		by_lang.setdefault(langs.get(group, ""), []).append(value)
	reference = {lang: sum(values) / len(values) for lang, values in by_lang.items()}
	reference.update({lang: level for lang, level in (levels or {}).items() if lang in reference})
	return {group: value - reference[langs.get(group, "")] for group, value in closeness.items()}

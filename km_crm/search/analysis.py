"""Text analysis shared by every search backend.

Both engines index the tokens produced here (as whitespace-separated strings), so they rank the
same terms. Rules:
- normalise: NFKC (full-width -> half-width), case folding, traditional Chinese characters to
  simplified (a query in either script finds articles in either), CJK and "traditional"
  punctuation (「」『』《》【】、。...) treated as separators;
- split into runs of one script: CJK runs become character unigrams + bigrams (so a two-character
  word such as 检索 matches as one bigram term), other runs become words that are lower-cased,
  stripped of English stop words and stemmed (Snowball English);
- queries: any query syntax (quotes, *, -, :, AND/OR, parentheses...) is plain text here, nothing
  raises, overlong queries are cut, and admin-managed synonyms are expanded at query time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from km_crm.search.stemmer import stem

MAX_QUERY_CHARS = 512
MAX_QUERY_TERMS = 64

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK_CHARS = _CJK  # the ranges above, for a regular expression character class
_RUN_RE = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")
_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")
_LETTER_RE = re.compile(rf"[^\W\d_{_CJK}]")

# Standard English stop words (Lucene/Elasticsearch "_english_" set plus a few question and
# contraction fragments); kept small so that meaningful words are never dropped.
STOP_WORDS = frozenset(
	"""a an and are as at be but by for if in into is it no not of on or such that the their then
    there these they this to was will with i me my we our you your he she him her his its them what
    which who whom how when where why do does did doing have has had having am been being can could
    would should s t d ll m re ve""".split()
)

# English function words dropped from queries only (the index keeps them, so nothing becomes
# unfindable), as ZH_QUERY_STOP_TERMS for Chinese: prepositions, adverbs and pronouns that the
# Lucene set above leaves in. In a small knowledge base they are not rare enough for BM25 to
# ignore: "after" and "from" made a POS ticket match the password and tax articles. They are never
# marked in snippets. A query made only of these is searched as typed. Query word pairs (shingles)
# still join across them, as the index does. Measured on all dev queries, MRR@10: stackfaq_en
# 0.8625 -> 0.8634, insuranceqa_en 0.3829 -> 0.3852 ("all" is not one: it cost stackfaq_en 0.0004;
# pairs that skip these words lost on both sets).
EN_QUERY_STOP_WORDS = frozenset(
	"""about above after again against any before below between both during each few from
    further here more most once only other out over same so some than too very just also through
    until while because nor those ours yours myself ourselves yourself yourselves themselves itself
    himself herself hers theirs were""".split()
)

# Chinese function characters/words and question boilerplate, dropped from queries only (the index
# keeps every character, so nothing becomes unfindable). Bigrams that bridge them stay: they carry
# word order. A query made only of these is searched as typed.
ZH_QUERY_STOP_TERMS = frozenset(
	"""的 了 吗 呢 吧 啊 呀 么 是 在 我 你 他 她 它 和 与 或 及 也 都 就 什么 怎么 怎样 如何 哪里 哪儿 哪些
    可以 是否 能否 一个 我们 你们 他们 这个 那个 如果 因为 所以 但是 还是 应该 需要 请问""".split()
)


def _traditional_to_simplified() -> dict[int, str]:
	path = Path(__file__).with_name("data") / "traditional_to_simplified.txt"
	with open(path, encoding="utf-8") as fh:
		return {
			ord(line[0]): line[1] for line in fh if len(line.rstrip("\n")) == 2 and not line.startswith("#")
		}


_T2S = _traditional_to_simplified()


def normalize(text: str | None) -> str:
	"""NFKC + case folding + simplified Chinese characters. Lengths of CJK text are unchanged."""
	if not text:
		return ""
	if text.isascii():  # the common case, and the same result: NFKC and the table leave ASCII alone
		return text.lower()
	return unicodedata.normalize("NFKC", text).casefold().translate(_T2S)


def detect_language(text: str | None, default: str = "en") -> str:
	"""'zh' when CJK characters make up at least 30% of the letters, else 'en' (or default if none)."""
	text = text or ""
	cjk = len(_CJK_CHAR_RE.findall(text))
	letters = cjk + len(_LETTER_RE.findall(text))
	if not letters:
		return default
	return "zh" if cjk / letters >= 0.3 else "en"


def is_cjk_term(term: str) -> bool:
	return bool(term) and _CJK_CHAR_RE.match(term) is not None


@lru_cache(maxsize=200_000)
def _word_term(word: str) -> str | None:
	if word in STOP_WORDS:
		return None
	return stem(word) if word.isascii() else word


# "e-mail", "wi-fi", "check-in": the parts are terms, and so is the joined word ("email"), so either
# spelling finds the other (stackfaq_en MRR@10 +0.001/+0.004 on the two halves of the dev queries).
_HYPHENATED_RE = re.compile(r"(?<![a-z0-9])([a-z]+)-([a-z]+)(?![a-z0-9])")


def hyphen_compounds(norm_text: str) -> list[str]:
	"""Index terms of hyphenated words written as one word ("e-mail" -> "email")."""
	if "-" not in norm_text:
		return []
	joined = (_word_term(a + b) for a, b in _HYPHENATED_RE.findall(norm_text))
	return [t for t in joined if t]


def _analyze(text: str | None, shingles: bool) -> list[str]:
	norm = normalize(text)
	terms: list[str] = hyphen_compounds(norm)
	pairs: list[str] = []
	previous = None
	for m in _RUN_RE.finditer(norm):
		run = m.group("cjk")
		if run is not None:
			terms.extend(run)
			terms.extend([run[i : i + 2] for i in range(len(run) - 1)])
			previous = None
		else:
			term = _word_term(m.group("word"))
			if term:
				terms.append(term)
				if shingles and previous is not None:
					pairs.append(f"{previous}{SHINGLE_JOIN}{term}")
				previous = term
	return terms + pairs if pairs else terms


def analyze(text: str | None) -> list[str]:
	"""Terms of a text (repeats kept: they are term frequency)."""
	return _analyze(text, shingles=False)


SHINGLE_JOIN = "_"  # never inside a term: "_" is a separator for the run pattern


def word_shingles(terms: Iterable[str]) -> list[str]:
	"""Pairs of consecutive word terms ("ct_scan"), stop words skipped, not across Chinese text.

	They reward answers that use the query's words next to each other (a cheap proximity signal);
	Chinese needs none: its bigrams already are adjacent pairs.
	"""
	shingles: list[str] = []
	previous = None
	for term in terms:
		if is_cjk_term(term):
			previous = None
			continue
		if previous is not None:
			shingles.append(f"{previous}{SHINGLE_JOIN}{term}")
		previous = term
	return shingles


def analyze_to_string(text: str | None) -> str:
	"""Index terms joined by spaces: what the engines' whitespace tokenizers index."""
	return " ".join(_analyze(text, shingles=True))


@dataclass(frozen=True)
class QueryTerm:
	term: str
	weight: float = 1.0
	synonym: bool = False
	highlight: bool = True  # False for single CJK characters cut from a longer run


# Relative weights of query terms. CJK bigrams carry word-level meaning and order; single characters
# keep colloquial and misspelt queries findable (a typo or an inserted character breaks a bigram,
# not the characters around it). Measured on both Chinese sets, each half of the dev queries:
# characters at 1.5 x a bigram beat 1.0 (and 2.0 lost on InsuranceQA).
UNIGRAM_WEIGHT = 1.5
BIGRAM_WEIGHT = 1.0
WORD_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.7
SHINGLE_WEIGHT = 0.3  # tuned on half of the dev queries, confirmed on the other half


def _query_runs(text: str) -> list[tuple[str, str]]:
	runs = []
	for m in _RUN_RE.finditer(text):
		if m.group("cjk") is not None:
			runs.append(("cjk", m.group("cjk")))
		else:
			runs.append(("word", m.group("word")))
	return runs


def _terms_of_runs(
	runs: list[tuple[str, str]], weights: dict[str, float], scale: float, fragments: set[str]
) -> None:
	def add(term: str, weight: float) -> None:
		weights[term] = weights.get(term, 0.0) + weight * scale

	for kind, run in runs:
		if kind == "word":
			term = _word_term(run)
			if term:
				add(term, WORD_WEIGHT)
		elif len(run) == 1:
			add(run, BIGRAM_WEIGHT)  # a lone character is the whole word
		else:
			bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
			content = [t for t in (*run, *bigrams) if t not in ZH_QUERY_STOP_TERMS]
			for term in content or (*run, *bigrams):
				add(term, UNIGRAM_WEIGHT if len(term) == 1 else BIGRAM_WEIGHT)
			fragments.update(run)


def normalize_synonyms(
	synonyms: Mapping[str, Iterable[str]] | Iterable[Iterable[str]] | None,
) -> list[list[str]]:
	"""Accept {"term": ["syn", ...]} or [["a", "b", "c"], ...] (or "a, b, c" lines); return groups."""
	if not synonyms:
		return []
	groups: list[list[str]] = []
	if isinstance(synonyms, Mapping):
		items = [[key, *values] for key, values in synonyms.items()]
	else:
		items = synonyms
	for group in items:
		if isinstance(group, str):
			group = re.split(r"[,，;；\n]", group)
		cleaned = [normalize(g).strip() for g in group if g and normalize(g).strip()]
		if len(cleaned) > 1:
			groups.append(cleaned)
	return groups


def _synonym_hits(norm_text: str, word_terms: set[str], groups: list[list[str]]) -> list[str]:
	expansions: list[str] = []
	for group in groups:
		present = []
		for phrase in group:
			if is_cjk_term(phrase[0]) or not phrase.isascii():
				hit = phrase in norm_text
			else:
				phrase_terms = [t for t in analyze(phrase)]
				hit = bool(phrase_terms) and all(t in word_terms for t in phrase_terms)
			present.append(hit)
		if any(present):
			expansions.extend(p for p, hit in zip(group, present, strict=True) if not hit)
	return expansions


def analyze_query(text: str | None, synonyms=None, max_terms: int = MAX_QUERY_TERMS) -> list[QueryTerm]:
	"""Query-time analysis: weighted, de-duplicated terms. Never raises; empty list means no query.

	Query syntax is not interpreted: operators and punctuation are separators, so `"a" AND -b*`
	searches for the words a and b. Text beyond MAX_QUERY_CHARS is ignored.
	"""
	if not isinstance(text, str):
		text = "" if text is None else str(text)
	norm = normalize(text[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]
	runs = [r for r in _query_runs(norm) if not (r[0] == "word" and r[1] in ("and", "or", "not"))]
	content = [r for r in runs if not (r[0] == "word" and r[1] in EN_QUERY_STOP_WORDS)]
	unmarked = set(ZH_QUERY_STOP_TERMS)  # searched when nothing else is asked, never marked
	# pairs joining a Chinese function character to its neighbour ("的密" of 忘记的密码) carry word
	# order for ranking but are not marked: a mark is a word that matched, never 的/了/在. (A word
	# such as 了解 or 在线 then goes unmarked too: marking is all that changes.)
	unmarked.update(
		run[i : i + 2]
		for kind, run in runs
		if kind == "cjk"
		for i in range(len(run) - 1)
		if run[i] in ZH_QUERY_STOP_TERMS or run[i + 1] in ZH_QUERY_STOP_TERMS
	)
	in_order = [t for kind, run in runs for t in ([run[0]] if kind == "cjk" else [_word_term(run)]) if t]
	if any(kind == "cjk" or _word_term(run) for kind, run in content):
		runs = content
	else:
		unmarked.update(t for kind, run in runs if kind == "word" for t in [_word_term(run)] if t)
	weights: dict[str, float] = {}
	fragments: set[str] = set()
	whole: set[str] = set()
	_terms_of_runs(runs, weights, 1.0, fragments)
	for compound in hyphen_compounds(norm):
		weights[compound] = weights.get(compound, 0.0) + WORD_WEIGHT
	whole.update(r for kind, r in runs if kind == "cjk" and len(r) == 1)
	for shingle in word_shingles(in_order):
		weights[shingle] = weights.get(shingle, 0.0) + SHINGLE_WEIGHT
		fragments.add(shingle)
	original = set(weights)
	groups = normalize_synonyms(synonyms)
	if groups:
		word_terms = {t for t in weights if not is_cjk_term(t)}
		for phrase in _synonym_hits(norm, word_terms, groups):
			phrase_runs = _query_runs(phrase)
			_terms_of_runs(phrase_runs, weights, SYNONYM_WEIGHT, fragments)
			whole.update(r for kind, r in phrase_runs if kind == "cjk" and len(r) == 1)
	terms = [
		QueryTerm(t, w, t not in original, highlight=(t not in fragments or t in whole) and t not in unmarked)
		for t, w in weights.items()
	]
	if len(terms) > max_terms:
		# keep the most informative: bigrams/words before single characters, then by weight
		terms.sort(key=lambda q: (len(q.term) == 1 and is_cjk_term(q.term), -q.weight))
		terms = terms[:max_terms]
	return terms


def highlight_terms(query_terms: Iterable[QueryTerm]) -> set[str]:
	"""Terms worth marking in a snippet (not the single characters of a longer Chinese word)."""
	return {q.term for q in query_terms if q.highlight}


def tokens_with_offsets(text: str) -> list[tuple[int, int, str, str]]:
	"""(start, end, kind, normalised run) for each script run of a display text (for highlighting).

	Offsets refer to `text` itself. NFKC can change lengths, so when it does each run is normalised
	on its own (slower, exact); otherwise the whole text is normalised once.
	"""
	norm = normalize(text)
	if len(norm) == len(text):
		return [
			(m.start(), m.end(), "word" if m.group("cjk") is None else "cjk", m.group(0))
			for m in _RUN_RE.finditer(norm)
		]
	out = []
	for m in _RUN_RE.finditer(text):
		kind = "cjk" if m.group("cjk") is not None else "word"
		out.append((m.start(), m.end(), kind, normalize(m.group(0))))
	return out


# The index term of one normalised word (None for a stop word); the cached function itself, as
# highlighting calls it for every distinct word of every snippet.
word_term = _word_term


def query_key(text: str | None, max_len: int = 140) -> str:
	"""A normalised form of a query, to group the same question asked differently."""
	text = unicodedata.normalize("NFKC", text or "").casefold()
	return " ".join(text.split())[:max_len]

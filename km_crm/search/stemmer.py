"""English stemmer: the Snowball "English" (Porter2) algorithm in pure Python.

Shared by both search backends through analysis.py, so an article indexed in tantivy or in
Elasticsearch carries exactly the same terms. Input must already be lower-cased.
"""

from __future__ import annotations

from functools import lru_cache

_VOWELS = frozenset("aeiouy")
_DOUBLES = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
_LI_ENDINGS = frozenset("cdeghkmnrt")

_EXCEPTIONS = {
	"skis": "ski",
	"skies": "sky",
	"dying": "die",
	"lying": "lie",
	"tying": "tie",
	"idly": "idl",
	"gently": "gentl",
	"ugly": "ugli",
	"early": "earli",
	"only": "onli",
	"singly": "singl",
	"sky": "sky",
	"news": "news",
	"howe": "howe",
	"atlas": "atlas",
	"cosmos": "cosmos",
	"bias": "bias",
	"andes": "andes",
}
_AFTER_1A = frozenset(("inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"))

_STEP2 = (
	("ization", "ize"),
	("ational", "ate"),
	("fulness", "ful"),
	("ousness", "ous"),
	("iveness", "ive"),
	("tional", "tion"),
	("biliti", "ble"),
	("lessli", "less"),
	("entli", "ent"),
	("ation", "ate"),
	("alism", "al"),
	("aliti", "al"),
	("ousli", "ous"),
	("iviti", "ive"),
	("fulli", "ful"),
	("enci", "ence"),
	("anci", "ance"),
	("abli", "able"),
	("izer", "ize"),
	("ator", "ate"),
	("alli", "al"),
	("bli", "ble"),
	("ogi", "og"),
	("li", ""),
)
_STEP3 = (
	("ational", "ate"),
	("tional", "tion"),
	("alize", "al"),
	("icate", "ic"),
	("iciti", "ic"),
	("ative", ""),
	("ical", "ic"),
	("ness", ""),
	("ful", ""),
)
_STEP4 = (
	"ement",
	"ance",
	"ence",
	"able",
	"ible",
	"ment",
	"ant",
	"ent",
	"ism",
	"ate",
	"iti",
	"ous",
	"ive",
	"ize",
	"ion",
	"al",
	"er",
	"ic",
)


def _is_vowel(ch: str) -> bool:
	return ch in _VOWELS


def _regions(word: str) -> tuple[int, int]:
	def next_region(start: int) -> int:
		for i in range(start + 1, len(word)):
			if not _is_vowel(word[i]) and _is_vowel(word[i - 1]):
				return i + 1
		return len(word)

	for prefix in ("gener", "commun", "arsen"):
		if word.startswith(prefix):
			r1 = len(prefix)
			break
	else:
		r1 = next_region(0)
	return r1, next_region(r1)


def _ends_short_syllable(word: str) -> bool:
	if len(word) == 2:
		return _is_vowel(word[0]) and not _is_vowel(word[1])
	if len(word) >= 3:
		a, b, c = word[-3], word[-2], word[-1]
		return (not _is_vowel(a)) and _is_vowel(b) and (not _is_vowel(c)) and c not in "wxY"
	return False


def _is_short(word: str, r1: int) -> bool:
	return r1 >= len(word) and _ends_short_syllable(word)


def _has_vowel(part: str) -> bool:
	return any(_is_vowel(c) for c in part)


def _step1a(word: str) -> str:
	if word.endswith("sses"):
		return word[:-2]
	if word.endswith("ied") or word.endswith("ies"):
		return word[:-2] if len(word) > 4 else word[:-1]
	if word.endswith("us") or word.endswith("ss"):
		return word
	if word.endswith("s"):
		if _has_vowel(word[:-2]):
			return word[:-1]
	return word


def _step1b(word: str, r1: int) -> str:
	for suffix in ("eedly", "eed"):
		if word.endswith(suffix):
			if len(word) - len(suffix) >= r1:
				return word[: -len(suffix)] + "ee"
			return word
	for suffix in ("ingly", "edly", "ing", "ed"):
		if word.endswith(suffix):
			stem = word[: -len(suffix)]
			if not _has_vowel(stem):
				return word
			if stem.endswith(("at", "bl", "iz")):
				return stem + "e"
			if stem.endswith(_DOUBLES):
				return stem[:-1]
			if _is_short(stem, r1):
				return stem + "e"
			return stem
	return word


def _step1c(word: str) -> str:
	if len(word) > 2 and word[-1] in "yY" and not _is_vowel(word[-2]):
		return word[:-1] + "i"
	return word


def _replace_in_r1(word: str, table, r1: int) -> str:
	for suffix, repl in table:
		if word.endswith(suffix):
			if len(word) - len(suffix) < r1:
				return word
			if suffix == "ogi" and not word[:-3].endswith("l"):
				return word
			if suffix == "li" and (len(word) < 3 or word[-3] not in _LI_ENDINGS):
				return word
			return word[: -len(suffix)] + repl
	return word


def _step3(word: str, r1: int, r2: int) -> str:
	for suffix, repl in _STEP3:
		if word.endswith(suffix):
			start = len(word) - len(suffix)
			if start < r1 or (suffix == "ative" and start < r2):
				return word
			return word[:start] + repl
	return word


def _step4(word: str, r2: int) -> str:
	for suffix in _STEP4:
		if word.endswith(suffix):
			start = len(word) - len(suffix)
			if start < r2:
				return word
			if suffix == "ion" and (start == 0 or word[start - 1] not in "st"):
				return word
			return word[:start]
	return word


def _step5(word: str, r1: int, r2: int) -> str:
	if word.endswith("e"):
		start = len(word) - 1
		if start >= r2 or (start >= r1 and not _ends_short_syllable(word[:-1])):
			return word[:-1]
	elif word.endswith("ll") and len(word) - 1 >= r2:
		return word[:-1]
	return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
	"""Stem one lower-cased English word (Snowball English / Porter2)."""
	if len(word) <= 2 or not word.isalpha():
		return word
	if word in _EXCEPTIONS:
		return _EXCEPTIONS[word]
	if word[0] == "y":
		word = "Y" + word[1:]
	chars = list(word)
	for i in range(1, len(chars)):
		if chars[i] == "y" and _is_vowel(chars[i - 1]):
			chars[i] = "Y"
	word = "".join(chars)
	r1, r2 = _regions(word)
	word = _step1a(word)
	if word in _AFTER_1A:
		return word
	word = _step1b(word, r1)
	word = _step1c(word)
	word = _replace_in_r1(word, _STEP2, r1)
	word = _step3(word, r1, r2)
	word = _step4(word, r2)
	word = _step5(word, r1, r2)
	return word.replace("Y", "y")

"""English stemmer: the Snowball "English" (Porter2) algorithm, from the `snowballstemmer` package.

Shared by both search backends through analysis.py, so an article indexed in tantivy or in
Elasticsearch carries exactly the same terms. Input must already be lower-cased.

Pinned to snowballstemmer 2.x (pyproject.toml): Snowball 3.0 changed English stems ("interval" no
longer "interv"), which would change index terms (then INDEX_SCHEMA must change too). The pure
Python class is used on purpose: snowballstemmer hands out PyStemmer's C stemmer when that is
installed, and it may carry another Snowball version. The stemmer object keeps state while it works,
so each thread has its own.
"""

from __future__ import annotations

import threading

from snowballstemmer.english_stemmer import EnglishStemmer

_local = threading.local()


def stem(word: str) -> str:
	"""Stem one lower-cased English word; words of one or two letters, or with digits, stay as they are."""
	if len(word) <= 2 or not word.isalpha():
		return word
	stemmer = getattr(_local, "stemmer", None)
	if stemmer is None:
		stemmer = _local.stemmer = EnglishStemmer()
	return stemmer.stemWord(word)

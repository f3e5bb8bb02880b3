"""The search backend contract: what every engine does, its errors, and the query and hit types.

The factory that picks an engine from site settings is factory.py.

Backends index passage documents (documents.Passage) and retrieve passages with BM25 over the
analysed terms (analysis.py). Permission filters travel inside SearchQuery and are applied by the
engine itself, so results, counts and snippets never include what the caller may not see.
"""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from km_crm.search.analysis import QueryTerm
from km_crm.search.documents import Passage
from km_crm.search.spelling import one_edit_away

# The analysed text fields of a passage. "lead" is the passage's first sentence, indexed again on its
# own: answers tend to restate the problem they solve in their opening sentence.
TEXT_FIELDS = ("title", "heading", "lead", "text")
# Fields whose counts decide doc_freqs: the lead is the opening sentence of the passage's own text,
# so a passage holding a term in its lead holds it in its text too, and the lead never has the most.
COUNTED_FIELDS = ("title", "heading", "text")
# Measured on the evaluation sets (tuned on one half of the dev queries, confirmed on the other half):
# title 1.5 helps paraphrased questions; the lead sentence at 0.3 lifts MRR@10 by 0.02 on both
# InsuranceQA sets. Sites may override them in KM Search Settings.
DEFAULT_FIELD_WEIGHTS = {"title": 1.5, "heading": 1.0, "lead": 0.3, "text": 1.0}
# Layout of the indexed documents, including what analysis.py makes of text: change it whenever the
# fields or the index terms change. A backend holding an older layout is refilled from the articles.
INDEX_SCHEMA = "km-passages-7"
KIND_PASSAGE = "p"  # `kind` of every passage
KIND_LEAD = "lead"  # `kind` of an article's opening passage (Passage.n == 0), beside the passage kind
KIND_PART = "part:"  # + part key: `kind` of the first passage of an attached file's part, beside it
ROLE_ANY = "__any__"  # indexed in `roles` when an article has no role restriction


def passage_kinds(p) -> list[str]:
	"""The `kind` values a passage is indexed with (every engine the same)."""
	kinds = [KIND_PASSAGE]
	if p.n == 0:
		kinds.append(KIND_LEAD)
	if getattr(p, "part", ""):
		kinds.append(KIND_PART + p.part)
	return kinds


class SearchBackendError(Exception):
	"""The engine failed (unreachable, corrupted, ...)."""


class IndexBusyError(SearchBackendError):
	"""Another process held the index writer for longer than we were willing to wait."""


def _names(values) -> tuple[str, ...] | None:
	if values is None:
		return None
	if isinstance(values, str):
		return (values,)
	return tuple(str(v) for v in values)


@dataclass(frozen=True)
class Filters:
	"""What a search may return: the reader's permission filters and the part of the index asked.

	audiences/statuses: the article must have one of these (an empty tuple matches nothing).
	roles: the user's roles; an article with allowed roles is visible only if one matches.
	None for audiences/statuses/roles means "no filter" (trusted callers such as reconcile only).
	"""

	audiences: tuple[str, ...] | None = ("Public",)
	statuses: tuple[str, ...] | None = ("Published",)
	roles: tuple[str, ...] | None = ()
	lang: str | None = None
	category: tuple[str, ...] | None = None  # path root -> node; matches that node and below
	items: tuple[str, ...] | None = None
	article_ids: tuple[str, ...] | None = None
	# Access scopes of records that carry their own read permission (tickets): a passage matches when
	# it satisfies every field of at least one scope, e.g. ({"doctype": ("Issue",), "company": ("A",)},).
	# None: no scope filter; an empty tuple matches nothing.
	scopes: tuple[dict[str, tuple[str, ...]], ...] | None = None

	@classmethod
	def of(
		cls,
		*,
		audiences,
		statuses=("Published",),
		roles=(),
		lang: str | None = None,
		category=None,
		items=None,
		article_ids=None,
		scopes=None,
	) -> Filters:
		"""Filters from the values a caller holds (lists, one string, scopes as dicts of lists); an
		empty category or item list means no such filter."""
		return cls(
			audiences=_names(audiences),
			statuses=_names(statuses),
			roles=_names(roles),
			lang=lang or None,
			category=_names(category) if category else None,
			items=_names(items) if items else None,
			article_ids=_names(article_ids),
			scopes=None if scopes is None else tuple({k: _names(v) for k, v in s.items()} for s in scopes),
		)


@dataclass
class SearchQuery:
	"""An analysed query plus the permission and scope filters the engine must enforce."""

	terms: list[QueryTerm]
	filters: Filters = field(default_factory=Filters)
	limit: int = 50
	field_weights: dict[str, float] | None = None
	# the query's embedding (embedding.py): the engine's vector half finds articles near it, under
	# the same filters (hybrid.py); None: lexical only
	vector: object | None = None


_DISPLAY_DEFAULTS = {
	"passage_id": "",
	"article_id": "",
	"title": "",
	"heading": "",
	"text": "",
	"section": "",
	"lang": "",
	"audience": "",
	"status": "",
	"modified": "",
	"category_path": list,
	"items": list,
	"file": None,  # an attached file's passage: where in the file (documents.file_location)
	"vector": "",  # an attached file's passage: its part's own vector (vector_store.pack), if made
}


class Hit:
	"""One retrieved passage. `tie` orders equal scores the same way on every build and engine.

	An engine may hand over a `loader` instead of the display fields (passage_id, article_id, title,
	text, ...): they are read on first access, so ranking decodes only the passages it needs. `group`
	(the article id's tie key) identifies the article without loading; `title_units` bounds how much
	a Chinese title can lift it (title_match.title_unit_count; None when unknown).
	"""

	def __init__(
		self,
		score: float = 0.0,
		*,
		tie: int = 0,
		group: int = 0,
		title_units: int | None = None,
		loader: Callable[[], dict] | None = None,
		**display,
	) -> None:
		unknown = display.keys() - _DISPLAY_DEFAULTS.keys() if display else None
		if unknown:
			raise TypeError(f"unknown Hit fields: {sorted(unknown)}")
		self.score = score
		self.semantic: float | None = None  # cosine of its article's vector and the query's (hybrid.py)
		self.title_units = title_units
		self._loader = loader
		if loader is None:
			self._fill(display)
		self.tie = tie or tie_key(self.passage_id)
		self.group = group or tie_key(self.article_id)

	def _fill(self, display: dict) -> None:
		fields = self.__dict__
		for name, default in _DISPLAY_DEFAULTS.items():
			value = display.get(name)
			fields[name] = (default() if callable(default) else default) if value is None else value

	def __getattr__(self, name: str):
		# only reached while a display field is not loaded yet
		if name in _DISPLAY_DEFAULTS and self.__dict__.get("_loader") is not None:
			self.load()
			return getattr(self, name)
		raise AttributeError(name)

	def load(self) -> Hit:
		"""Read the display fields now (once), if the engine left them for later."""
		loader, self._loader = self._loader, None
		if loader is not None:
			self._fill(loader())
		return self

	def __repr__(self) -> str:
		return f"Hit(score={self.score!r}, tie={self.tie}, {self.__dict__.get('passage_id', '(not loaded)')})"


@lru_cache(maxsize=65536)
def tie_key(value: str) -> int:
	"""A stable 63-bit number for an id: equal scores are ordered by it, on both engines."""
	return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big") >> 1


def rank_order(scores: list[float], ties: list[int]) -> list[int]:
	"""Positions by score, equal scores by their stable tie key (the one order of hits everywhere)."""
	return sorted(range(len(scores)), key=lambda i: (-scores[i], ties[i]))


def scope_key(field: str, value: str) -> str:
	"""The indexed form of one access scope value (documents.Passage.scope holds these)."""
	return f"{field}={value}"


def category_keys(path: Iterable[str]) -> list[str]:
	"""Every ancestor path of a category path, as keys: a filter on one node matches its subtree."""
	keys, parts = [], []
	for name in path:
		parts.append(str(name))
		keys.append("\x1f".join(parts))
	return keys


def filter_terms(filters: Filters) -> list[tuple[str, tuple[str, ...]]] | None:
	"""[(indexed keyword field, values)]: a passage matches when it holds one of the values in each
	field (and, apart, satisfies filters.scopes); None when the filters can match nothing. Both
	engines turn these into their own filter queries."""
	terms: list[tuple[str, tuple[str, ...]]] = []
	for name, values in (
		("audience", filters.audiences),
		("status", filters.statuses),
		("items", filters.items),
		("article_id", filters.article_ids),
	):
		if values is not None:
			if not values:
				return None
			terms.append((name, tuple(values)))
	if filters.roles is not None:
		terms.append(("roles", (ROLE_ANY, *filters.roles)))
	if filters.lang:
		terms.append(("lang", (filters.lang,)))
	if filters.category:
		terms.append(("category", (category_keys(filters.category)[-1],)))
	if filters.scopes is not None and not filters.scopes:
		return None
	return terms


@dataclass(frozen=True)
class IndexStats:
	passages_per_article: float = 1.0
	max_title_units: int | None = None  # the largest Hit.title_units (None: unknown)
	passages: int = 0  # passages in the index (0: unknown)


class VectorStore(abc.ABC):
	"""One vector per article (embedding.py), with the hash of the text it was made of. The store
	decides nothing about who may see what: the engine filters the articles it names."""

	@abc.abstractmethod
	def put(self, vectors: Mapping[str, tuple[str, object]]) -> None:
		"""Add or replace {article_id: (text hash, vector)}."""

	@abc.abstractmethod
	def delete(self, article_ids: Iterable[str]) -> None:
		"""Remove these articles' vectors."""

	@abc.abstractmethod
	def clear(self) -> None:
		"""Remove every vector."""

	@abc.abstractmethod
	def versions(self) -> dict[str, str]:
		"""{article_id: text hash} of every stored vector."""

	@abc.abstractmethod
	def count(self) -> int:
		"""How many articles have a vector."""

	@abc.abstractmethod
	def nearest(self, vector, k: int) -> list[tuple[str, int, float]]:
		"""The k articles nearest the vector: (article id, tie key, cosine), best first, equal cosines
		by tie key."""

	@abc.abstractmethod
	def similarities(self, vector, groups: Iterable[int]) -> dict[int, float]:
		"""{tie key: cosine} of the articles with these tie keys that have a vector."""


class SearchBackend(abc.ABC):
	"""What the app and the benchmark need from a search engine."""

	field_weights: dict[str, float]

	@abc.abstractmethod
	def ensure_schema(self) -> None:
		"""Create the index (idempotent)."""

	@abc.abstractmethod
	def index(self, passages: Iterable[Passage]) -> int:
		"""Replace all passages of the articles present in `passages`; return passages written.

		An article's version (for indexed_versions) becomes visible only together with all its new
		passages, so a failure leaves the article missing or stale, never half-new.
		"""

	@abc.abstractmethod
	def delete(self, article_ids: Iterable[str]) -> None:
		"""Remove every passage of these articles."""

	@abc.abstractmethod
	def search(self, query: SearchQuery) -> list[Hit]:
		"""Best passages first (at most query.limit), permission filters applied in the engine.

		Equal scores are ordered by Hit.tie, also across the limit: of passages tied with the last one
		kept, those with the smallest tie keys are kept, so two builds of one index answer alike.
		"""

	@abc.abstractmethod
	def count(self, query: SearchQuery) -> int:
		"""Number of distinct articles matching the query under the same filters."""

	@abc.abstractmethod
	def indexed_versions(self) -> dict[str, str]:
		"""{article_id: modified} for every fully indexed article (input of a reconcile pass)."""

	@abc.abstractmethod
	def clear(self) -> None:
		"""Remove everything from the index."""

	@abc.abstractmethod
	def rebuild(self, passages: Iterable[Passage]) -> int:
		"""Full reindex into a fresh index, then switch readers to it; return passages written."""

	@abc.abstractmethod
	def doc_freqs(self, terms: list[str]) -> dict[str, int]:
		"""{term: how many passages hold it in their text fields} for each of `terms` (0 when none)."""

	def neighbour_freqs(self, word: str) -> dict[str, int]:
		"""doc_freqs of the strings one edit from `word` (spelling.one_edit_away); a backend may
		leave out the ones no passage holds."""
		return self.doc_freqs(sorted(one_edit_away(word)))

	def stats(self) -> IndexStats:
		"""What the index looks like, for sizing requests (may be up to a minute old)."""
		return IndexStats()

	def vectors(self) -> VectorStore | None:
		"""The engine's article vectors (None: this engine has no vector half)."""
		return None

	def lead_passages(self, filters: Filters, article_ids: list[str]) -> list[Hit]:
		"""The opening passage (Passage.n == 0) of each of these articles that `filters` allow, score 0:
		what the vector half shows of an article the words did not find."""
		raise NotImplementedError

	def part_vectors(self) -> VectorStore | None:
		"""The vectors of the parts of attached files (pages, sheets' rows), keyed by part_vector_key
		(None: this engine has none)."""
		return None

	def part_passages(self, filters: Filters, parts: list[tuple[str, str]]) -> list[Hit]:
		"""The first passage of each of these (article id, part key) parts that `filters` allow, score
		0: what the vector half shows of a page whose own vector is near the question. May also return
		the same part of another of the articles asked about (the same file on two articles)."""
		return []

	def close(self) -> None:  # noqa: B027 - optional hook
		"""Release resources."""

	def weights(self, query: SearchQuery) -> dict[str, float]:
		weights = dict(DEFAULT_FIELD_WEIGHTS)
		weights.update(self.field_weights or {})
		weights.update(query.field_weights or {})
		return {k: float(v) for k, v in weights.items() if k in DEFAULT_FIELD_WEIGHTS and float(v) > 0}


PART_KEY_MARK = "#part:"


def part_vector_key(article_id: str, part: str) -> str:
	"""The key of a part's vector in BackendSearch.part_vectors(): its article and its part key."""
	return f"{article_id}{PART_KEY_MARK}{part}"


def split_part_vector_key(key: str) -> tuple[str, str]:
	"""(article id, part key) of a part_vector_key."""
	article_id, _mark, part = key.rpartition(PART_KEY_MARK)
	return article_id, part

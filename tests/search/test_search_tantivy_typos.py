"""tantivy answers typo look-ups from a table of its terms in a small index and from its term
dictionary in a big one; both find the same neighbours, so corrections never depend on index size."""

from __future__ import annotations

from km_search_testutil import make_article

from km_crm.search import tantivy_backend
from km_crm.search.factory import get_backend
from km_crm.search.service import index_articles, search_articles

ARTICLES = [
	make_article("KB-BODY", "Office equipment", "<p>Reinstall the scanner driver after updates.</p>"),
	make_article("KB-HEAD", "Office network", "<h2>Firewall exceptions</h2><p>Ask IT.</p>"),
	make_article("KB-TITLE", "Shredder jams", "<p>Remove the paper slowly.</p>"),
	make_article("KB-MAIL", "Retrieve an archived message", "<p>Open All Mail, move it to the inbox.</p>"),
]
WORDS = ["scaner", "firwall", "shreder", "retreiv", "mesage", "archivd", "inbx", "ofice", "zqxwvj", "aftr"]


def test_small_and_big_index_find_the_same_typo_neighbours(tmp_path, monkeypatch):
	backend = get_backend({"backend": "tantivy", "index_path": str(tmp_path / "index")})
	backend.ensure_schema()
	index_articles(backend, ARTICLES)
	from_table = {word: backend.neighbour_freqs(word) for word in WORDS}
	assert backend._current().typo_table() is not None
	assert from_table["scaner"] == {"scanner": 1} and from_table["zqxwvj"] == {}

	monkeypatch.setattr(tantivy_backend, "TYPO_TABLE_PASSAGES", 0)
	big = get_backend({"backend": "tantivy", "index_path": str(tmp_path / "index")})
	assert big._current().typo_table() is None
	for word in WORDS:
		assert {t: n for t, n in big.neighbour_freqs(word).items() if n} == from_table[word], word
	for query, expected in (("scaner", "KB-BODY"), ("firwall", "KB-HEAD"), ("shreder", "KB-TITLE")):
		assert [r.article_id for r in search_articles(big, query, audiences=["Public"])] == [expected]

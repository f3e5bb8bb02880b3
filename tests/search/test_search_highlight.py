"""Snippets: which words are marked, and where the excerpt is cut."""

from __future__ import annotations

from km_crm.search.analysis import analyze_query, highlight_terms
from km_crm.search.highlight import highlight


def marks(query):
	return highlight_terms(analyze_query(query))


def test_highlight_marks_stemmed_words_and_escapes_html():
	terms = {t.term for t in analyze_query("configuring printers")}
	out = highlight("<b>Configure</b> the printer & scanner", terms)
	assert out == "&lt;b&gt;<mark>Configure</mark>&lt;/b&gt; the <mark>printer</mark> &amp; scanner"


def test_highlight_marks_whole_words_only_every_time_they_occur():
	terms = {t.term for t in analyze_query("cat")}
	out = highlight("Cats: concatenate the cat files, cat_2 and cat.", terms)
	# "_" ends a word as the index splits it: "cat_2" holds the word "cat"
	assert (
		out
		== "<mark>Cats</mark>: concatenate the <mark>cat</mark> files, <mark>cat</mark>_2 and <mark>cat</mark>."
	)


def test_highlight_marks_chinese_words_not_scattered_characters():
	terms = {t.term for t in analyze_query("检索") if t.highlight}
	assert highlight("检查之后开启全文检索", terms) == "检查之后开启全文<mark>检索</mark>"


def test_snippet_window_centres_on_matches_in_long_text():
	text = "Intro sentence. " * 50 + "Here the kingfisher appears. " + "Outro sentence. " * 50
	out = highlight(text, {"kingfish"}, max_chars=120)
	assert "<mark>kingfisher</mark>" in out
	assert out.startswith("…") and out.endswith("…")
	assert len(out) < 200


def test_highlight_marks_words_whose_stem_changes_their_ending():
	# Porter2 rewrites the last letters: "dying" -> "die", "possibility" -> "possibl", "happy" -> "happi"
	out = highlight("The battery was dying. Possibility of a happy fix.", marks("die possibly happiness"))
	assert out == "The battery was <mark>dying</mark>. <mark>Possibility</mark> of a <mark>happy</mark> fix."


def test_highlight_marks_nothing_for_word_pairs_or_stop_words():
	terms = marks("the login page")
	assert any("_" in t for t in {q.term for q in analyze_query("the login page")})
	assert highlight("the login_page and the login page", terms) == (
		"the <mark>login</mark>_<mark>page</mark> and the <mark>login</mark> <mark>page</mark>"
	)


def test_highlight_of_full_width_text_keeps_the_original_characters():
	# NFKC changes the length of "ｆｉｌｅ" ligature-free full-width letters are one to one, "ﬁ" is not
	out = highlight("Open the ﬁle menu, then ＳＡＶＥ the file.", marks("file save"))
	assert out == "Open the <mark>ﬁle</mark> menu, then <mark>ＳＡＶＥ</mark> the <mark>file</mark>."


def test_one_query_marks_alike_in_every_text_it_highlights():
	terms = marks("printer driver")
	first = highlight("Install the printer driver.", terms)
	highlight("驱动程序 printer", marks("驱动"))
	assert highlight("Install the printer driver.", set(terms)) == first
	assert highlight("", terms) == "" and highlight("Printer", set()) == "Printer"


def test_a_text_marked_again_is_marked_for_the_words_of_each_query():
	text = "Reset the printer, then the router. " * 12
	printer = highlight(text, marks("printer"))
	assert printer.count("<mark>printer</mark>") >= 5 and "<mark>router" not in printer
	assert "<mark>router</mark>" in highlight(text, marks("router")) and "<mark>printer" not in highlight(
		text, marks("router")
	)
	assert highlight(text, marks("printer scanner")) == printer  # words the text lacks change nothing
	assert len(highlight(text, marks("printer"), max_chars=60)) < len(printer)
	assert highlight("检索设置", marks("检索")) == "<mark>检索</mark>设置"
	assert highlight("检索设置", marks("设置")) == "检索<mark>设置</mark>"

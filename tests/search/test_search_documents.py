"""Articles become passages: split by KCS section and HTML structure, capped in size, plain text."""

from __future__ import annotations

from datetime import datetime

from km_search_testutil import make_article

from km_crm.knowledge.sanitize import html_to_text
from km_crm.search.documents import (
	article_to_passages,
	lead_sentence,
	passage_terms,
	split_sentences,
)


def test_sections_become_passages_with_labels_and_ids():
	article = make_article(
		"KB-9",
		"Printer offline",
		summary="<p>Printer shows offline.</p>",
		issue="<p>Jobs stay queued.</p>",
		environment="<p>Windows 11</p>",
		cause="<p>Stale port.</p>",
		resolution="<p>Re-add the port.</p>",
	)
	passages = article_to_passages(article, min_chars=0)
	assert [p.section for p in passages] == ["summary", "issue", "environment", "cause", "resolution"]
	assert [p.heading for p in passages] == ["Summary", "Issue", "Environment", "Cause", "Resolution"]
	assert [p.id for p in passages] == [f"KB-9#{n}" for n in range(5)]
	assert all(p.title == "Printer offline" and p.article_id == "KB-9" for p in passages)


def test_chinese_article_gets_chinese_section_labels_and_language():
	passages = article_to_passages(make_article("ZH-1", "打印机离线", resolution="<p>重新添加端口。</p>"))
	assert passages[0].lang == "zh"
	assert passages[0].heading == "解决方案"


def test_html_headings_split_a_section_and_name_the_passage():
	html = (
		"<h2>Windows</h2><p>" + "Open Settings and choose Devices. " * 10 + "</p>"
		"<h2>macOS</h2><p>" + "Open System Settings and choose Printers. " * 10 + "</p>"
	)
	passages = article_to_passages(make_article("KB-1", "Add a printer", html))
	assert [p.heading for p in passages] == ["Windows", "macOS"]
	assert "System Settings" in passages[1].text and "Devices" not in passages[1].text


def test_small_paragraphs_are_merged_and_long_ones_split_at_sentence_ends():
	small = "".join(f"<p>Step {i}.</p>" for i in range(5))
	assert len(article_to_passages(make_article("S", "t", small))) == 1
	sentence = "This sentence explains one more detail of the procedure. "
	long_text = f"<p>{sentence * 100}</p>"
	passages = article_to_passages(make_article("L", "t", long_text), max_chars=500)
	assert len(passages) > 5
	assert all(len(p.text) <= 500 for p in passages)
	assert all(p.text.endswith(".") for p in passages)
	assert " ".join(p.text for p in passages).split() == (sentence * 100).split()


def test_chinese_sentences_split_at_chinese_punctuation():
	text = "第一步打开设置。第二步选择设备！第三步添加打印机？最后重启；完成"
	assert split_sentences(text) == [
		"第一步打开设置。",
		"第二步选择设备！",
		"第三步添加打印机？",
		"最后重启；",
		"完成",
	]
	passages = article_to_passages(
		make_article("Z", "t", f"<p>{'打开设置并添加打印机。' * 200}</p>"), max_chars=300
	)
	assert all(len(p.text) <= 300 and p.text.endswith("。") for p in passages)


def test_plain_text_has_no_markup_scripts_or_entities():
	html = (
		'<p>Use <b>Ctrl</b>&nbsp;+&nbsp;P &amp; print</p><script>alert("x")</script><style>p{}</style>'
		'<ul><li>one</li><li>two</li></ul><img src=x onerror="evil()">'
	)
	text = html_to_text(html)
	assert "<" not in text and "alert" not in text and "evil" not in text and "p{}" not in text
	assert "Ctrl + P & print" in text
	assert "one" in text and "two" in text


def test_the_title_is_the_text_the_author_typed_not_markup():
	# titles are plain fields: "<b>" typed into one is text to show, not a tag to drop
	article = make_article("KB-7", "Use <b>bold</b> &amp; <img src=x>\n in  titles", resolution="<p>x</p>")
	assert {p.title for p in article_to_passages(article)} == {"Use <b>bold</b> &amp; <img src=x> in titles"}


def test_metadata_travels_with_every_passage():
	article = make_article(
		"KB-2",
		"Title",
		"<h3>A</h3><p>" + "x " * 400 + "</p><h3>B</h3><p>" + "y " * 400 + "</p>",
		audience="Customer",
		status="Published",
		category_path=["Hardware", "Printers"],
		items=["PRN-1"],
		roles=["Support Agent"],
		tags=["printing"],
		modified=datetime(2024, 3, 4, 5, 6, 7),
	)
	passages = article_to_passages(article)
	assert len(passages) == 2
	for p in passages:
		assert (p.audience, p.status, p.category_path, p.items, p.roles) == (
			"Customer",
			"Published",
			["Hardware", "Printers"],
			["PRN-1"],
			["Support Agent"],
		)
		assert p.modified == "2024-03-04 05:06:07"


def test_article_without_body_is_still_one_findable_passage():
	passages = article_to_passages(make_article("T-1", "How do I change my repayment date?"))
	assert len(passages) == 1 and passages[0].text == "" and passages[0].title


def test_each_section_opening_sentence_is_indexed_as_its_lead():
	long_para = "Second paragraph. " * 80
	article = make_article(
		"KB-L",
		"Printer offline",
		"<p>Restart the print spooler service. Then print a test page.</p>" + f"<p>{long_para}</p>",
		issue="<p>The printer shows offline in Windows 11.</p>",
	)
	passages = article_to_passages(article)
	by_section = {}
	for p in passages:
		by_section.setdefault(p.section, []).append(p)
	assert by_section["issue"][0].lead == "The printer shows offline in Windows 11."
	assert by_section["resolution"][0].lead == "Restart the print spooler service."
	assert len(by_section["resolution"]) > 1 and all(p.lead == "" for p in by_section["resolution"][1:])
	terms = passage_terms(by_section["resolution"][0])
	assert terms["lead"].split()[:3] == ["restart", "print", "spooler"]
	assert "test" not in terms["lead"].split() and "test" in terms["text"].split()


def test_lead_sentence_of_chinese_text_and_of_text_without_punctuation():
	assert lead_sentence("重启打印服务。然后打印测试页。") == "重启打印服务。"
	assert lead_sentence("word " * 100) == ("word " * 100)[:200]
	assert lead_sentence("") == ""


def _with_file(audience: str = "Public", private: bool = False) -> dict:
	sheet_rows = "\n\n".join(f"Code: E{n:02d}; Meaning: error {n}" for n in range(2, 22))
	return make_article(
		"KB-F",
		"Till errors",
		"<p>See the attached list.</p>",
		audience=audience,
		files=[
			{
				"file_name": "Errors.xlsx",
				"content_hash": "h1",
				"private": private,
				"parts": [{"sheet": "Codes", "first_row": 2, "last_row": 21, "text": sheet_rows}],
			},
			{
				"file_name": "手册.pdf",
				"content_hash": "h2",
				"private": private,
				"parts": [
					{"page": 4, "heading": "", "text": "重置扫描枪。按住扳机十秒。\n\n听到两声提示音后松开。"}
				],
			},
		],
	)


def test_an_attached_files_parts_become_passages_that_know_where_they_are():
	passages = article_to_passages(_with_file(), min_chars=0)
	own, files = passages[0], passages[1:]
	assert own.file is None and own.section == "resolution"
	assert {p.section for p in files} == {"file"}
	assert [p.n for p in passages] == list(range(len(passages)))  # ids stay unique per article
	sheet = [p for p in files if p.file["name"] == "Errors.xlsx"]
	assert sheet[0].file == {
		"name": "Errors.xlsx",
		"hash": "h1",
		"page": 0,
		"sheet": "Codes",
		"rows": [2, 21],
	}
	assert "Code: E02; Meaning: error 2" in sheet[0].text
	page = [p for p in files if p.file["name"] == "手册.pdf"]
	assert page[0].file["page"] == 4 and page[0].lead == "重置扫描枪。"
	assert all(p.audience == "Public" and p.roles == [] for p in files)


def test_a_private_files_passages_of_a_public_article_are_for_signed_in_readers_only():
	files = [p for p in article_to_passages(_with_file(private=True)) if p.file]
	assert files and all(p.roles == ["All"] for p in files)
	# an article guests cannot read anyway keeps its passages' roles as they are
	internal = [p for p in article_to_passages(_with_file("Internal", private=True)) if p.file]
	assert internal and all(p.roles == [] for p in internal)


def test_long_pages_are_cut_into_passages_under_the_cap():
	text = " ".join(f"Sentence number {n} about the scanner cradle." for n in range(200))
	article = make_article(
		"KB-L", "Manual", files=[{"file_name": "m.pdf", "parts": [{"page": 9, "text": text}]}]
	)
	pages = [p for p in article_to_passages(article) if p.file]
	assert len(pages) > 1 and all(len(p.text) <= 1200 and p.file["page"] == 9 for p in pages)
	assert pages[0].lead and not pages[1].lead


def test_each_part_of_a_file_opens_with_a_passage_keyed_by_the_part_that_the_engines_index():
	from km_crm.search.backend import (
		KIND_LEAD,
		KIND_PART,
		part_vector_key,
		passage_kinds,
		split_part_vector_key,
	)
	from km_crm.search.documents import part_key, part_vectors

	text = " ".join(f"Sentence number {n} about the scanner cradle." for n in range(200))
	article = make_article(
		"KB-K",
		"Manual",
		files=[
			{
				"file_name": "m.pdf",
				"content_hash": "hm",
				"parts": [{"page": 9, "text": text, "vector": "packed-9"}, {"page": 10, "text": "Short."}],
			}
		],
	)
	passages = article_to_passages(article)
	pages = [p for p in passages if p.file]
	nine = [p for p in pages if p.file["page"] == 9]
	assert nine[0].part == part_key(nine[0].file) == "hm:9::0" and all(not p.part for p in nine[1:])
	assert [p.part for p in pages if p.file["page"] == 10] == ["hm:10::0"]
	assert passage_kinds(nine[0]) == ["p", KIND_PART + "hm:9::0"]
	assert passage_kinds(passages[0]) == ["p", KIND_LEAD]  # the article's opening passage
	assert passage_kinds(nine[1]) == ["p"]
	# the parts that have a vector, by part key (what the embedding job copies into the engine)
	assert part_vectors(article) == {"hm:9::0": "packed-9"}
	# a sheet's rows are told apart by their first row
	sheet = article_to_passages(_with_file(), min_chars=0)
	assert [p.part for p in sheet if p.file and p.part] == ["h1:0:Codes:2", "h2:4::0"]
	key = part_vector_key("KB#1", "h1:0:Codes:2")
	assert split_part_vector_key(key) == ("KB#1", "h1:0:Codes:2")

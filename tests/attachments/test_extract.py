"""Attached files read to text parts (km_crm.attachments.extract), on small files made here with the
same libraries people make them with."""

import faulthandler
import io
import json
import os
import signal
import time
import zipfile

import pytest

from km_crm import constants as C
from km_crm.attachments import extract as X
from km_crm.attachments.extract import Extraction, Limits, Part, extract, extract_isolated, kind_of

SCANNER_ZH = "扫描仪无法连接到网络。请先检查网线，然后重新启动路由器。"


# --- files made in the test ---------------------------------------------------------------------------


def _pdf(pages: list[list[str]], chinese_pages: frozenset = frozenset()) -> bytes:
	from reportlab.pdfbase import pdfmetrics
	from reportlab.pdfbase.cidfonts import UnicodeCIDFont
	from reportlab.pdfgen import canvas

	pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built in: needs no font file
	buf = io.BytesIO()
	c = canvas.Canvas(buf)
	for number, lines in enumerate(pages, start=1):
		c.setFont("STSong-Light" if number in chinese_pages else "Helvetica", 12)
		for i, line in enumerate(lines):
			c.drawString(72, 720 - 18 * i, line)
		c.showPage()
	c.save()
	return buf.getvalue()


def _three_pages() -> bytes:
	return _pdf(
		[
			["Scanner setup guide", "Connect the scanner    to the network."],
			[SCANNER_ZH],
			["Troubleshooting", "Restart the router when the scanner is offline."],
		],
		chinese_pages=frozenset({2}),
	)


def _encrypted(pdf: bytes, user_password: str) -> bytes:
	from pypdf import PdfReader, PdfWriter

	writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
	# RC4: pypdf writes it without the cryptography package (AES needs it)
	writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
	out = io.BytesIO()
	writer.write(out)
	return out.getvalue()


def _docx() -> bytes:
	import docx

	document = docx.Document()
	document.add_paragraph("Read this before you install.")
	document.add_heading("Installation", level=1)
	document.add_paragraph("Plug the scanner into the router.")
	document.add_paragraph("Wait for the green light.")
	table = document.add_table(rows=2, cols=2)
	for r, row in enumerate([("Model", "Port"), ("KX-200", "8080")]):
		for col, value in enumerate(row):
			table.cell(r, col).text = value
	document.add_heading("故障排除", level=2)
	document.add_paragraph(SCANNER_ZH)
	out = io.BytesIO()
	document.save(out)
	return out.getvalue()


def _xlsx(rows: int) -> bytes:
	import openpyxl

	book = openpyxl.Workbook()
	sheet = book.active
	sheet.title = "Prices"
	sheet.append(["Product", "Price", "备注"])
	for i in range(1, rows + 1):
		sheet.append([f"Scanner {i}", i * 10, "含税" if i % 2 else None])
	book.create_sheet("Empty")
	out = io.BytesIO()
	book.save(out)
	return out.getvalue()


def _zip_with(member: str, megabytes_of_zeros: int) -> bytes:
	"""A zip whose one member is this many MB of zeros, written in chunks (the file stays small)."""
	out = io.BytesIO()
	with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
		with z.open(member, "w", force_zip64=True) as f:
			chunk = bytes(1024 * 1024)
			for _ in range(megabytes_of_zeros):
				f.write(chunk)
	return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------


def test_a_pdf_gives_one_part_per_page_with_its_page_number():
	result = extract(_three_pages(), "guide.pdf")
	assert result.status == C.FILE_EXTRACTED and result.problem == ""
	assert result.pages == 3
	assert [p.page for p in result.parts] == [1, 2, 3]
	assert "Connect the scanner to the network." in result.parts[0].text  # runs of spaces collapsed
	assert result.parts[0].text.startswith("Scanner setup guide\n")  # lines kept
	assert "Restart the router" in result.parts[2].text


def _manual_with_headings() -> bytes:
	"""Page 1: a title set large, its text, a smaller heading and its text; page 2: all one size."""
	from reportlab.pdfgen import canvas

	buf = io.BytesIO()
	c = canvas.Canvas(buf)
	y = 720
	for size, line in (
		(20, "Cash drawer"),
		(20, "setup and care"),
		(11, "Plug the drawer cable into the printer's DK port."),
		(11, "The printer opens it after each sale."),
		(15, "Opening without a sale"),
		(11, "Reach under the front and pull the release lever."),
	):
		c.setFont("Helvetica", size)
		c.drawString(72, y, line)
		y -= size + 8
	c.showPage()
	c.setFont("Helvetica", 11)
	c.drawString(72, 720, "Care")
	c.drawString(72, 700, "Wipe the rollers with a dry cloth.")
	c.showPage()
	c.save()
	return buf.getvalue()


def test_a_pdf_page_is_cut_at_the_lines_set_larger_than_its_text_each_part_under_its_heading():
	parts = extract(_manual_with_headings(), "drawer.pdf").parts
	assert [(p.page, p.heading) for p in parts] == [
		(1, "Cash drawer setup and care"),  # a heading over two lines is one heading
		(1, "Opening without a sale"),
		(2, ""),  # a page all of one size stays whole, its first line in its text
	]
	assert (
		parts[0].text
		== "Plug the drawer cable into the printer's DK port.\nThe printer opens it after each sale."
	)
	assert parts[1].text == "Reach under the front and pull the release lever."
	assert parts[2].text == "Care\nWipe the rollers with a dry cloth."


def test_chinese_text_of_a_pdf_reads_back():
	# reportlab's built-in CID font STSong-Light; pypdf maps it back to Unicode (checked with pypdf 6.8
	# and 7.1)
	page = extract(_three_pages(), "guide.pdf").parts[1]
	assert page.page == 2
	assert page.text.replace(" ", "") == SCANNER_ZH


def test_radicals_a_pdf_font_maps_ordinary_characters_to_are_read_as_those_characters():
	# wkhtmltopdf (Frappe's PDFs) with Noto CJK gives "⽹" (KANGXI RADICAL NET) for "网"
	pdf = _pdf([["扫描仪\u2f46法连接到\u2f79络，请检查。"]], chinese_pages=frozenset({1}))
	assert extract(pdf, "radicals.pdf").parts[0].text.replace(" ", "") == "扫描仪无法连接到网络，请检查。"


def test_a_pdf_of_drawings_only_has_no_text_layer():
	from reportlab.pdfgen import canvas

	buf = io.BytesIO()
	c = canvas.Canvas(buf)
	for _ in range(2):
		c.rect(100, 100, 300, 400, fill=1)
		c.showPage()
	c.save()
	result = extract(buf.getvalue(), "scan.pdf")
	assert (result.status, result.problem, result.detail) == (C.FILE_NO_TEXT, "no_text_layer", {"pages": 2})
	assert result.parts == []


def test_a_pdf_with_a_user_password_fails_as_encrypted():
	result = extract(_encrypted(_three_pages(), "secret"), "locked.pdf")
	assert (result.status, result.problem) == (C.FILE_FAILED, "encrypted")


def test_a_pdf_encrypted_with_an_empty_user_password_is_read():
	result = extract(_encrypted(_three_pages(), ""), "restricted.pdf")
	assert result.status == C.FILE_EXTRACTED
	assert [p.page for p in result.parts] == [1, 2, 3]
	assert result.parts[1].text.replace(" ", "") == SCANNER_ZH


@pytest.mark.parametrize(
	"content",
	[
		pytest.param(lambda pdf: pdf[: len(pdf) // 2], id="truncated"),
		pytest.param(lambda pdf: b"%PDF-1.7\n" + os.urandom(2000), id="garbage"),
		pytest.param(lambda pdf: b"<html>not a pdf</html>", id="not-a-pdf"),
	],
)
def test_a_broken_pdf_fails_with_a_short_reason(content):
	result = extract(content(_three_pages()), "broken.pdf")
	assert (result.status, result.problem) == (C.FILE_FAILED, "broken")
	assert result.detail["error"] and "\n" not in result.detail["error"]
	assert "Traceback" not in result.detail["error"] and len(result.detail["error"]) <= 200


def test_a_file_over_the_size_limit_is_refused_before_reading():
	pdf = _three_pages()
	result = extract(pdf, "guide.pdf", Limits(max_bytes=1000))
	assert (result.status, result.problem) == (C.FILE_REFUSED, "too_large")
	assert result.detail == {"bytes": len(pdf), "limit": 1000}


def test_a_pdf_over_the_page_limit_is_refused():
	result = extract(_three_pages(), "guide.pdf", Limits(max_pages=2))
	assert (result.status, result.problem, result.detail) == (
		C.FILE_REFUSED,
		"too_many_pages",
		{"pages": 3, "limit": 2},
	)
	assert result.parts == []


# --- word processing ----------------------------------------------------------------------------------


def test_a_docx_gives_a_part_per_heading_with_tables_row_by_row_and_chinese():
	result = extract(_docx(), "manual.docx")
	assert result.status == C.FILE_EXTRACTED
	assert [(p.heading, p.text) for p in result.parts] == [
		("", "Read this before you install."),
		(
			"Installation",
			"Plug the scanner into the router.\n\nWait for the green light.\n\nModel | Port\nKX-200 | 8080",
		),
		("故障排除", SCANNER_ZH),
	]


def test_an_odt_gives_a_part_per_heading():
	from odf.opendocument import OpenDocumentText
	from odf.text import H, List, ListItem, P

	document = OpenDocumentText()
	document.text.addElement(P(text="Opening words."))
	document.text.addElement(H(outlinelevel=1, text="安装"))
	document.text.addElement(P(text=SCANNER_ZH))
	items = List()
	item = ListItem()
	item.addElement(P(text="Check the cable."))
	items.addElement(item)
	document.text.addElement(items)
	out = io.BytesIO()
	document.save(out)
	result = extract(out.getvalue(), "manual.odt")
	assert result.status == C.FILE_EXTRACTED
	assert [(p.heading, p.text) for p in result.parts] == [
		("", "Opening words."),
		("安装", f"{SCANNER_ZH}\n\nCheck the cable."),
	]


# --- spreadsheets -------------------------------------------------------------------------------------


def test_an_xlsx_gives_twenty_rows_a_part_written_header_value():
	result = extract(_xlsx(45), "prices.xlsx")
	assert result.status == C.FILE_EXTRACTED
	assert result.pages == 2  # sheets
	assert [(p.sheet, p.first_row, p.last_row) for p in result.parts] == [
		("Prices", 2, 21),
		("Prices", 22, 41),
		("Prices", 42, 46),
	]
	lines = result.parts[0].text.split("\n")
	assert len(lines) == 20
	assert lines[0] == "Product: Scanner 1; Price: 10; 备注: 含税"
	assert lines[1] == "Product: Scanner 2; Price: 20"  # the empty cell left out
	assert result.parts[2].text.split("\n")[-1] == "Product: Scanner 45; Price: 450; 备注: 含税"


def test_an_xlsx_table_may_start_anywhere_and_have_gaps():
	import openpyxl

	book = openpyxl.Workbook()
	sheet = book.active
	sheet.title = "Stock"
	sheet["B3"], sheet["C3"] = "Item", "Qty"
	sheet["B4"], sheet["C4"] = "扫描仪", 2
	sheet["C6"], sheet["D6"] = 5.0, "spare"  # a cell beyond the header's columns: named by its column
	out = io.BytesIO()
	book.save(out)
	result = extract(out.getvalue(), "stock.xlsx")
	assert [(p.sheet, p.first_row, p.last_row, p.text) for p in result.parts] == [
		("Stock", 4, 6, "Item: 扫描仪; Qty: 2\nQty: 5; D: spare"),
	]


def test_an_xlsx_over_the_row_limit_is_refused():
	result = extract(_xlsx(250), "prices.xlsx", Limits(max_pages=2))
	assert (result.status, result.problem) == (C.FILE_REFUSED, "too_many_pages")
	assert result.detail["limit"] == 2 and result.detail["row_limit"] == 200


def test_an_ods_reads_like_an_xlsx_and_counts_repeated_rows():
	from odf.opendocument import OpenDocumentSpreadsheet
	from odf.table import Table, TableCell, TableRow
	from odf.text import P

	document = OpenDocumentSpreadsheet()
	table = Table(name="价格")

	def row(*values, repeat=1):
		r = TableRow(numberrowsrepeated=repeat) if repeat > 1 else TableRow()
		for value in values:
			cell = TableCell(numbercolumnsrepeated=3) if value is None else TableCell(valuetype="string")
			if value is not None:
				cell.addElement(P(text=value))
			r.addElement(cell)
		table.addElement(r)

	row("Product", "Price")
	row("Scanner", "10")
	row(None, repeat=5)  # five empty rows written as one
	row("Printer", None, "note")  # an empty cell repeated three times sits between
	row(None, repeat=1048000)  # the rest of the sheet
	document.spreadsheet.addElement(table)
	out = io.BytesIO()
	document.save(out)
	result = extract(out.getvalue(), "prices.ods")
	assert result.status == C.FILE_EXTRACTED
	assert [(p.sheet, p.first_row, p.last_row) for p in result.parts] == [("价格", 2, 8)]
	assert result.parts[0].text == "Product: Scanner; Price: 10\nProduct: Printer; E: note"


# --- markup and text ----------------------------------------------------------------------------------


def test_markdown_gives_a_part_per_heading():
	text = f"Intro line.\n\n# Setup\n\nFirst step.\n\nSecond step.\n\n## 故障\n\n{SCANNER_ZH}\n"
	result = extract(text.encode(), "notes.md")
	assert result.status == C.FILE_EXTRACTED
	assert [(p.heading, p.text) for p in result.parts] == [
		("", "Intro line."),
		("Setup", "First step.\n\nSecond step."),
		("故障", SCANNER_ZH),
	]


def test_html_gives_a_part_per_heading():
	html = (
		"<html><head><meta charset='utf-8'><title>t</title><script>var x = 1;</script></head><body>"
		f"<h1>网络</h1><p>{SCANNER_ZH}</p><p>Second.</p><h2>Ports</h2><ul><li>8080</li></ul></body></html>"
	)
	result = extract(html.encode("utf-8"), "page.htm")
	assert [(p.heading, p.text) for p in result.parts] == [
		("网络", f"{SCANNER_ZH}\n\nSecond."),
		("Ports", "8080"),
	]


def test_text_in_gb18030_is_decoded():
	text = f"{SCANNER_ZH}\n\n如果指示灯仍然是红色，请联系技术支持部门并提供设备序列号。\n"
	result = extract(text.encode("gb18030"), "说明.txt")
	assert result.status == C.FILE_EXTRACTED
	assert [p.text for p in result.parts] == [text.strip()]


def test_long_text_is_cut_at_paragraph_ends():
	paragraphs = [f"Paragraph {i}. " + "word " * 150 for i in range(40)]
	result = extract("\n\n".join(paragraphs).encode(), "long.log")
	assert len(result.parts) > 1
	assert all(len(p.text) <= X.PART_CHARS for p in result.parts)
	kept = [para for p in result.parts for para in p.text.split("\n\n")]
	assert kept == [p.strip() for p in paragraphs]


def test_binary_bytes_named_as_text_fail_as_broken():
	result = extract(bytes(range(256)) * 40, "dump.log")
	assert (result.status, result.problem) == (C.FILE_FAILED, "broken")


def test_an_empty_text_file_has_no_text():
	result = extract(b"  \n\n ", "empty.txt")
	assert (result.status, result.problem) == (C.FILE_NO_TEXT, "empty")


# --- kinds and containers -----------------------------------------------------------------------------


def test_the_kind_comes_from_the_extension():
	assert kind_of("Guide.PDF", b"%PDF-1.7") == "pdf"
	assert kind_of("notes.markdown", b"") == "markdown"
	assert kind_of("data.csv", b"a,b") == "text"
	assert kind_of("old.doc", b"") is None
	assert kind_of("README", b"%PDF-1.4") == "pdf"  # no extension: a PDF by its first bytes
	assert kind_of("README", b"hello") is None


def test_a_file_of_a_kind_not_read_is_refused():
	result = extract(b"MZ\x90\x00", "setup.exe")
	assert (result.status, result.problem, result.detail) == (
		C.FILE_REFUSED,
		"unsupported",
		{"extension": ".exe"},
	)


@pytest.mark.parametrize("name", ["manual.docx", "prices.xlsx", "manual.odt", "prices.ods"])
def test_a_container_that_is_not_a_zip_fails_as_broken(name):
	result = extract(b"just some text, not a zip", name)
	assert (result.status, result.problem) == (C.FILE_FAILED, "broken")


def test_a_zip_that_unpacks_to_more_than_the_limit_is_refused_as_a_bomb():
	bomb = _zip_with("word/document.xml", 300)  # 300 MB of zeros
	assert len(bomb) < 1024 * 1024
	result = extract(bomb, "invoice.docx")
	assert (result.status, result.problem) == (C.FILE_REFUSED, "bomb")
	assert result.detail == {"unpacked": 300 * 1024 * 1024, "limit": Limits().max_unpacked_bytes}


def test_a_zip_member_compressed_beyond_the_ratio_is_refused_as_a_bomb():
	result = extract(_zip_with("xl/worksheets/sheet1.xml", 20), "prices.xlsx")
	assert (result.status, result.problem) == (C.FILE_REFUSED, "bomb")
	assert result.detail["ratio"] > 200 and result.detail["limit"] == 200


def test_an_ordinary_docx_is_no_bomb_but_a_lower_unpacked_limit_refuses_it():
	assert extract(_docx(), "manual.docx").status == C.FILE_EXTRACTED
	result = extract(_docx(), "manual.docx", Limits(max_unpacked_bytes=10_000))
	assert (result.status, result.problem) == (C.FILE_REFUSED, "bomb")
	assert result.detail["unpacked"] > 10_000


def test_an_extraction_round_trips_through_a_dict():
	result = extract(_xlsx(3), "prices.xlsx")
	again = Extraction.from_dict(json.loads(json.dumps(result.as_dict())))
	assert again == result
	assert isinstance(again.parts[0], Part)
	refused = Extraction(C.FILE_REFUSED, "too_large", {"bytes": 9, "limit": 1})
	assert Extraction.from_dict(refused.as_dict()) == refused


# --- in a child process -------------------------------------------------------------------------------


def test_extract_isolated_reads_like_extract():
	pdf = _three_pages()
	assert extract_isolated(pdf, "guide.pdf") == extract(pdf, "guide.pdf")


def _slow(content, file_name, limits):
	time.sleep(30)


def _greedy(content, file_name, limits):
	hoard = bytearray(limits.max_memory_bytes * 2)
	return hoard


def _dies(content, file_name, limits):
	faulthandler.disable()  # pytest's, inherited: no stack dump for this intended death
	os.kill(os.getpid(), signal.SIGSEGV)


def _raises(content, file_name, limits):
	raise RuntimeError("unexpected")


def test_a_child_over_the_time_limit_is_killed(monkeypatch):
	monkeypatch.setattr(X, "_run", _slow)
	result = extract_isolated(b"hello", "a.txt", Limits(max_seconds=1))
	assert (result.status, result.problem, result.detail) == (C.FILE_FAILED, "timeout", {"seconds": 1})


def test_a_child_over_the_memory_limit_fails(monkeypatch):
	monkeypatch.setattr(X, "_run", _greedy)
	result = extract_isolated(b"hello", "a.txt", Limits(max_memory_bytes=64 * 1024 * 1024))
	assert (result.status, result.problem) == (C.FILE_FAILED, "too_much_memory")


@pytest.mark.parametrize("run", [_dies, _raises])
def test_a_child_that_dies_or_raises_fails_as_crashed(monkeypatch, run):
	monkeypatch.setattr(X, "_run", run)
	result = extract_isolated(b"hello", "a.txt")
	assert (result.status, result.problem) == (C.FILE_FAILED, "crashed")

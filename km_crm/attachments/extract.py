"""An attached file's bytes read to text parts (pure: no Frappe).

extract() reads in this process; extract_isolated() reads in a child process with a memory and a time
limit, for files nobody has vetted. Neither raises for bad input: what went wrong is the Extraction's
status and problem code (the Frappe side turns each code into a sentence):

- Refused: "too_large" {bytes, limit}, "too_many_pages" {pages, limit} (spreadsheets also {rows,
  row_limit}), "bomb" {unpacked, limit} or {ratio, limit}, "unsupported" {extension}
- Failed: "encrypted", "broken" {error}, "timeout" {seconds}, "too_much_memory" {limit}, "crashed"
- No Text Layer: "no_text_layer" {pages} (a scanned PDF: no OCR), "empty" (nothing to read)
"""

from __future__ import annotations

import datetime
import io
import math
import multiprocessing
import os
import pickle
import re
import signal
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field, fields

from km_crm import constants as C
from km_crm.search.documents import html_blocks


@dataclass(frozen=True)
class Limits:
	max_bytes: int = 25 * 1024 * 1024  # the file itself
	max_pages: int = 500  # PDF pages; for spreadsheets: rows / 100 (so 50,000 rows)
	max_unpacked_bytes: int = 200 * 1024 * 1024  # total uncompressed size of a zip container
	max_ratio: int = 200  # largest allowed compression ratio of any (large) zip member
	max_seconds: int = 120  # wall time of extract_isolated
	# memory the child of extract_isolated may map beyond what it inherits from its parent at the fork
	max_memory_bytes: int = 1536 * 1024 * 1024


@dataclass
class Part:
	"""One piece of text and where it is in the file."""

	text: str  # plain text, paragraphs separated by a blank line ("\n\n")
	page: int = 0  # 1-based PDF page (0: not a paged format)
	sheet: str = ""  # spreadsheet sheet name
	first_row: int = 0  # spreadsheet rows this part holds (1-based, as the sheet numbers them)
	last_row: int = 0
	heading: str = ""  # the heading this text sits under (docx/odt/markdown/html), "" if none


@dataclass
class Extraction:
	status: str  # one of C.FILE_STATUSES
	problem: str = ""  # "" when Extracted; else a code (see the module's docstring)
	detail: dict = field(default_factory=dict)  # numbers for the message, e.g. {"pages": 900, "limit": 500}
	pages: int = 0  # PDF pages / sheets / 0
	parts: list[Part] = field(default_factory=list)

	def as_dict(self) -> dict:
		return {
			"status": self.status,
			"problem": self.problem,
			"detail": dict(self.detail),
			"pages": self.pages,
			"parts": [asdict(p) for p in self.parts],
		}

	@classmethod
	def from_dict(cls, d: dict) -> Extraction:
		known = {f.name for f in fields(Part)}
		return cls(
			status=d["status"],
			problem=d.get("problem") or "",
			detail=dict(d.get("detail") or {}),
			pages=int(d.get("pages") or 0),
			parts=[Part(**{k: v for k, v in p.items() if k in known}) for p in d.get("parts") or []],
		)


KINDS = {
	".pdf": "pdf",
	".docx": "docx",
	".odt": "odt",
	".ods": "ods",
	".xlsx": "xlsx",
	".md": "markdown",
	".markdown": "markdown",
	".html": "html",
	".htm": "html",
	".txt": "text",
	".csv": "text",
	".log": "text",
}
ZIP_KINDS = frozenset({"docx", "xlsx", "odt", "ods"})
PART_CHARS = 4000  # text, and sections of documents, are cut into parts of about this many characters
ROWS_PER_PART = 20  # spreadsheet rows in one part
#: a zip member smaller than this is no threat whatever its compression ratio (small XML files of
#: repetitive markup compress very well)
RATIO_FLOOR_BYTES = 1024 * 1024

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected Office file is one of these


class _Stop(Exception):
	"""Reading ends with this Extraction (refused, failed, no text)."""

	def __init__(self, status: str, problem: str, **detail):
		super().__init__(problem)
		self.extraction = Extraction(status=status, problem=problem, detail=detail)


def kind_of(file_name: str, content: bytes) -> str | None:
	"""What the file is read as, by its extension ("pdf", "docx", "odt", "ods", "xlsx", "markdown",
	"html", "text"), or None when files of its kind are not read. A file without an extension that
	starts like a PDF is a PDF. Whether the bytes match the extension, extract() checks (a .pdf not
	starting with %PDF- is broken)."""
	kind = KINDS.get(_extension(file_name))
	if kind is None and not _extension(file_name) and content[:5] == _PDF_MAGIC:
		return "pdf"
	return kind


def extract(content: bytes, file_name: str, limits: Limits = Limits()) -> Extraction:
	"""The file's text parts, read in this process."""
	try:
		if len(content) > limits.max_bytes:
			raise _Stop(C.FILE_REFUSED, "too_large", bytes=len(content), limit=limits.max_bytes)
		kind = kind_of(file_name, content)
		if kind is None:
			raise _Stop(C.FILE_REFUSED, "unsupported", extension=_extension(file_name))
		if kind in ZIP_KINDS:
			_check_container(content, kind, limits)
		pages, parts = _READERS[kind](content, limits)
		if not parts:
			if kind == "pdf" and pages:
				raise _Stop(C.FILE_NO_TEXT, "no_text_layer", pages=pages)
			raise _Stop(C.FILE_NO_TEXT, "empty")
		return Extraction(status=C.FILE_EXTRACTED, pages=pages, parts=parts)
	except _Stop as stop:
		return stop.extraction
	except MemoryError:
		return Extraction(C.FILE_FAILED, "too_much_memory", {"limit": limits.max_memory_bytes})
	except Exception as e:
		return Extraction(C.FILE_FAILED, "broken", {"error": _short(e)})


#: what the child of extract_isolated runs (a module-level name, so it can be replaced in tests)
_run = extract


def extract_isolated(content: bytes, file_name: str, limits: Limits = Limits()) -> Extraction:
	"""extract() in a child process: its address space limited to what it inherits plus
	limits.max_memory_bytes, killed after limits.max_seconds. Never raises."""
	try:
		methods = multiprocessing.get_all_start_methods()
		ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
		receive, send = ctx.Pipe(duplex=False)
		child = ctx.Process(target=_child, args=(send, content, file_name, limits), daemon=True)
		child.start()
	except Exception as e:
		return Extraction(C.FILE_FAILED, "crashed", {"error": _short(e)})
	send.close()
	# what the parent catches is narrow on purpose: a job's own time limit (raised into this frame
	# by a signal handler) must pass through, and kills the child on its way (finally)
	try:
		if not receive.poll(limits.max_seconds):
			child.kill()
			return Extraction(C.FILE_FAILED, "timeout", {"seconds": limits.max_seconds})
		try:
			return Extraction.from_dict(receive.recv())
		except (EOFError, OSError):  # the child died without an answer
			child.join(5)
			if child.exitcode == -signal.SIGKILL:  # the kernel's out-of-memory killer
				return Extraction(C.FILE_FAILED, "too_much_memory", {"limit": limits.max_memory_bytes})
			return Extraction(C.FILE_FAILED, "crashed", {"exitcode": child.exitcode})
		except (pickle.UnpicklingError, KeyError, TypeError, ValueError, AttributeError) as e:
			return Extraction(C.FILE_FAILED, "crashed", {"error": _short(e)})
	finally:
		receive.close()
		if child.is_alive():
			child.kill()
		child.join(5)


def _child(send, content: bytes, file_name: str, limits: Limits) -> None:
	try:
		_limit_memory(limits.max_memory_bytes)
		result = _run(content, file_name, limits)
	except MemoryError:
		result = Extraction(C.FILE_FAILED, "too_much_memory", {"limit": limits.max_memory_bytes})
	except BaseException as e:
		result = Extraction(C.FILE_FAILED, "crashed", {"error": _short(e)})
	try:
		send.send(result.as_dict())
	except MemoryError:
		send.send(Extraction(C.FILE_FAILED, "too_much_memory", {"limit": limits.max_memory_bytes}).as_dict())
	finally:
		send.close()


def _limit_memory(extra: int) -> None:
	"""RLIMIT_AS at the address space this process has now plus `extra`. Not `extra` alone: a forked
	child inherits its parent's mappings (a worker with the embedding model loaded may have more than
	a limit of 1.5 GB already), and could then allocate nothing at all."""
	try:
		import resource
	except ImportError:  # not on this platform: the time limit still holds
		return
	current = 0
	try:
		with open("/proc/self/statm") as f:
			current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
	except (OSError, ValueError, IndexError):
		pass
	limit = current + extra
	_soft, hard = resource.getrlimit(resource.RLIMIT_AS)
	if hard != resource.RLIM_INFINITY:
		limit = min(limit, hard)
	resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# --- containers ---------------------------------------------------------------------------------------


def _check_container(content: bytes, kind: str, limits: Limits) -> None:
	"""A zip container (.docx, .xlsx, .odt, .ods) that would unpack to too much is refused before any
	library opens it; a password-protected one fails as encrypted."""
	if not content.startswith(_ZIP_MAGIC):
		if content.startswith(_OLE_MAGIC) and "EncryptionInfo".encode("utf-16-le") in content:
			raise _Stop(C.FILE_FAILED, "encrypted")
		raise _Stop(C.FILE_FAILED, "broken", error=f"not a .{kind} file (not a zip container)")
	try:
		with zipfile.ZipFile(io.BytesIO(content)) as z:
			members = z.infolist()
			unpacked = sum(m.file_size for m in members)
			if unpacked > limits.max_unpacked_bytes:
				raise _Stop(C.FILE_REFUSED, "bomb", unpacked=unpacked, limit=limits.max_unpacked_bytes)
			for m in members:
				ratio = m.file_size / max(m.compress_size, 1)
				if m.file_size >= RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
					raise _Stop(C.FILE_REFUSED, "bomb", ratio=int(ratio), limit=limits.max_ratio)
			if kind in ("odt", "ods") and "META-INF/manifest.xml" in z.namelist():
				if b"encryption-data" in z.read("META-INF/manifest.xml"):
					raise _Stop(C.FILE_FAILED, "encrypted")
	except zipfile.BadZipFile as e:
		raise _Stop(C.FILE_FAILED, "broken", error=_short(e)) from None


# --- PDF ----------------------------------------------------------------------------------------------


def _read_pdf(content: bytes, limits: Limits) -> tuple[int, list[Part]]:
	from pypdf import PdfReader
	from pypdf.errors import DependencyError, FileNotDecryptedError

	if not content.startswith(_PDF_MAGIC):
		raise _Stop(C.FILE_FAILED, "broken", error="not a PDF file (no %PDF- header)")
	reader = PdfReader(io.BytesIO(content))
	if reader.is_encrypted:
		try:
			opened = reader.decrypt("")  # many "encrypted" PDFs only restrict printing or copying
		except (DependencyError, FileNotDecryptedError, NotImplementedError):
			opened = 0
		if not opened:
			raise _Stop(C.FILE_FAILED, "encrypted")
	pages = len(reader.pages)
	if pages > limits.max_pages:
		raise _Stop(C.FILE_REFUSED, "too_many_pages", pages=pages, limit=limits.max_pages)
	parts = []
	for number, page in enumerate(reader.pages, start=1):
		sizes: list[tuple[str, float]] = []
		raw = page.extract_text(visitor_text=_size_recorder(sizes)) or ""
		text = _tidy(_join_hyphens(_unfold_glyphs(raw)))
		if text:
			parts.extend(_page_parts(text, number, _headings(sizes)))
	return pages, parts


HEADING_SIZE = 1.15  # a line set this much larger than the page's body text is a heading
HEADING_MAX_CHARS = 200


def _size_recorder(sizes: list):
	"""A pypdf text visitor noting each run of text with its size on the page (font size times the
	text and page matrices' vertical scale)."""

	def visit(text, cm, tm, _font, font_size):
		words = " ".join(_unfold_glyphs(text or "").split())
		if words:
			scale = abs((tm[3] if tm else 1) * (cm[3] if cm else 1)) or 1.0
			sizes.append((words, float(font_size or 0) * scale))

	return visit


def _headings(sizes: list[tuple[str, float]]) -> list[str]:
	"""The runs of a page set clearly larger than its body text (the size that carries the most
	characters), consecutive ones of one size joined (a heading over two lines)."""
	if not sizes:
		return []
	weight: dict[float, int] = {}
	for words, size in sizes:
		weight[round(size, 1)] = weight.get(round(size, 1), 0) + len(words)
	body = max(weight, key=weight.get)
	headings: list[tuple[str, float]] = []
	last = None
	for words, size in sizes:
		if body and size >= HEADING_SIZE * body:
			if last is not None and headings and abs(headings[-1][1] - size) < 0.05:
				headings[-1] = (f"{headings[-1][0]} {words}", size)
			else:
				headings.append((words, size))
			last = size
		else:
			last = None
	return [h for h, _s in headings if len(h) <= HEADING_MAX_CHARS]


def _page_parts(text: str, number: int, headings: list[str]) -> list[Part]:
	"""A page's text cut at its headings: each part under its heading (the heading's lines out of its
	text), the text above the first heading a part of its own; the whole page as one part when no
	line is set larger than the rest."""
	if not headings:
		return [Part(text=text, page=number)]
	wanted = list(headings)
	parts: list[Part] = []
	heading, body, pending = "", [], ""
	for line in text.split("\n"):
		words = " ".join(line.split())
		candidate = f"{pending} {words}".strip() if pending else words
		if wanted and words and wanted[0].startswith(candidate):
			if wanted[0] == candidate:  # the heading's last line
				if heading or any(b.strip() for b in body):
					parts.append(_page_part(heading, body, number))
				heading, body, pending = wanted.pop(0), [], ""
			else:
				pending = candidate  # a heading over more lines than one
			continue
		if pending:  # it was not a heading after all
			body.append(pending)
			pending = ""
		body.append(line)
	if pending:
		body.append(pending)
	if heading or any(b.strip() for b in body):
		parts.append(_page_part(heading, body, number))
	return parts


def _page_part(heading: str, body: list[str], number: int) -> Part:
	text = _tidy("\n".join(body))
	return Part(text=text or heading, page=number, heading=heading)


# Kangxi and supplementary radicals, and ligatures (ﬁ, ﬂ): what many CJK and Latin fonts' Unicode maps
# give for ordinary characters ("⽹络" for "网络", "ﬁle" for "file")
_GLYPH_RE = re.compile("[\u2e80-\u2fdf\ufb00-\ufb06]")


def _unfold_glyphs(text: str) -> str:
	"""PDF text with radicals and ligatures read as the characters they stand for (NFKC, on those only:
	NFKC everywhere would also turn full-width Chinese punctuation into ASCII)."""
	return _GLYPH_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _join_hyphens(text: str) -> str:
	"""A word broken at a line end with a hyphen ("connec-\\ntion") joined again."""
	return re.sub(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])", "", text)


# --- word processing: .docx, .odt ---------------------------------------------------------------------


class _Sections:
	"""Paragraphs collected under the current heading; each heading starts a new part."""

	def __init__(self) -> None:
		self.parts: list[Part] = []
		self.heading = ""
		self.paragraphs: list[str] = []

	def start(self, heading: str) -> None:
		heading = _tidy(heading).replace("\n", " ")
		if heading:
			self._flush()
			self.heading = heading

	def add(self, paragraph: str) -> None:
		paragraph = _tidy(paragraph)
		if paragraph:
			self.paragraphs.append(paragraph)

	def _flush(self) -> None:
		for text in _pieces(self.paragraphs):
			self.parts.append(Part(text=text, heading=self.heading))
		self.paragraphs = []

	def done(self) -> list[Part]:
		self._flush()
		return self.parts


def _read_docx(content: bytes, limits: Limits) -> tuple[int, list[Part]]:
	import docx
	from docx.table import Table

	document = docx.Document(io.BytesIO(content))
	sections = _Sections()
	for block in document.iter_inner_content():
		if isinstance(block, Table):
			sections.add(_docx_table(block))
		elif _is_heading(block.style.name if block.style is not None else ""):
			sections.start(block.text)
		else:
			sections.add(block.text)
	return 0, sections.done()


def _is_heading(style_name: str) -> bool:
	name = (style_name or "").strip().lower()
	return name.startswith(("heading", "标题")) or name == "title"


def _docx_table(table) -> str:
	"""A table's rows, one line each: "cell | cell" (a merged cell once, empty cells left out)."""
	lines = []
	for row in table.rows:
		cells, seen = [], set()
		for cell in row.cells:
			if id(cell._tc) in seen:
				continue
			seen.add(id(cell._tc))
			text = " ".join(_tidy(cell.text).split("\n"))
			if text:
				cells.append(text)
		if cells:
			lines.append(" | ".join(cells))
	return "\n".join(lines)


_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _read_odt(content: bytes, limits: Limits) -> tuple[int, list[Part]]:
	from odf.opendocument import load
	from odf.teletype import extractText

	document = load(io.BytesIO(content))
	sections = _Sections()

	def walk(element) -> None:
		for child in element.childNodes:
			qname = getattr(child, "qname", None)
			if qname == (_TEXT_NS, "h"):
				sections.start(extractText(child))
			elif qname == (_TEXT_NS, "p"):
				sections.add(extractText(child))
			elif qname == (_TABLE_NS, "table"):
				lines = []
				for _number, cells in _ods_rows(child, extractText):
					lines.append(" | ".join(c for c in cells if c))
				sections.add("\n".join(lines))
			elif qname is not None and qname[0] == _TEXT_NS and qname[1] in _ODT_CONTAINERS:
				walk(child)

	walk(document.text)
	return 0, sections.done()


# lists, sections and the like hold paragraphs; other text:* elements (tracked changes, indexes'
# templates, sequence declarations) do not hold body text
_ODT_CONTAINERS = frozenset({"list", "list-item", "list-header", "section", "soft-page-break", "div"})


# --- spreadsheets: .xlsx, .ods ------------------------------------------------------------------------


def _read_xlsx(content: bytes, limits: Limits) -> tuple[int, list[Part]]:
	import openpyxl

	book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
	try:
		sheets = [
			(
				sheet.title,
				# read-only rows start at row 1, empty ones included (their cells have no row number)
				(
					(number, [_cell_text(v) for v in values])
					for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
				),
			)
			for sheet in book.worksheets
		]
		return len(sheets), _sheet_parts(sheets, limits)
	finally:
		book.close()


def _read_ods(content: bytes, limits: Limits) -> tuple[int, list[Part]]:
	from odf.opendocument import load
	from odf.table import Table
	from odf.teletype import extractText

	document = load(io.BytesIO(content))
	tables = document.spreadsheet.getElementsByType(Table)
	sheets = [(t.getAttribute("name") or "", _ods_rows(t, extractText)) for t in tables]
	return len(sheets), _sheet_parts(sheets, limits)


_MAX_COLUMNS = 16384  # as many as a sheet has (ODF writes a row's trailing empty cells as one repeated)


def _ods_rows(table, extract_text):
	"""(row number, [cell text]) of each row of an ODF table with something in it. Repeated rows and
	cells (how ODF writes runs of empty ones, up to the sheet's million rows) are only counted."""
	number = 0

	def rows(element):
		for child in element.childNodes:
			qname = getattr(child, "qname", None)
			if qname == (_TABLE_NS, "table-row"):
				yield child
			elif qname in (
				(_TABLE_NS, "table-header-rows"),
				(_TABLE_NS, "table-row-group"),
				(_TABLE_NS, "table-rows"),
			):
				yield from rows(child)

	for row in rows(table):
		repeat = int(row.getAttribute("numberrowsrepeated") or 1)
		cells: list[str] = []
		for cell in row.childNodes:
			if getattr(cell, "qname", None) not in (
				(_TABLE_NS, "table-cell"),
				(_TABLE_NS, "covered-table-cell"),
			):
				continue
			paragraphs = [
				extract_text(p) for p in cell.childNodes if getattr(p, "qname", None) == (_TEXT_NS, "p")
			]
			text = _tidy(" ".join(paragraphs)).replace("\n", " ")
			cells.extend([text] * min(int(cell.getAttribute("numbercolumnsrepeated") or 1), _MAX_COLUMNS))
		while cells and not cells[-1]:
			cells.pop()
		if not cells:
			number += repeat
			continue
		for _ in range(repeat):
			number += 1
			yield number, cells


def _sheet_parts(sheets, limits: Limits) -> list[Part]:
	"""Per sheet: the first row with something in it is the header; the rows after it, 20 to a part,
	each written "Header: value; Header: value" (empty cells left out)."""
	row_limit = limits.max_pages * 100
	counted = 0
	parts: list[Part] = []
	for name, rows in sheets:
		header: list[str] | None = None
		header_row = 0
		group: list[tuple[int, str]] = []

		def flush(group=group, name=name):
			if group:
				text = "\n".join(line for _n, line in group)
				parts.append(Part(text=text, sheet=name, first_row=group[0][0], last_row=group[-1][0]))
				group.clear()

		for number, cells in rows:
			if not any(cells):
				continue
			counted += 1
			if counted > row_limit:
				raise _Stop(
					C.FILE_REFUSED,
					"too_many_pages",
					pages=math.ceil(counted / 100),
					limit=limits.max_pages,
					rows=counted,
					row_limit=row_limit,
				)
			if header is None:
				header, header_row = cells, number
				continue
			line = "; ".join(f"{_header_name(header, i)}: {value}" for i, value in enumerate(cells) if value)
			group.append((number, line))
			if len(group) == ROWS_PER_PART:
				flush()
		flush()
		if header is not None and header_row and not any(p.sheet == name for p in parts):
			# a sheet of one row: its text as it stands
			parts.append(
				Part(
					text=" | ".join(c for c in header if c),
					sheet=name,
					first_row=header_row,
					last_row=header_row,
				)
			)
	return parts


def _header_name(header: list[str], i: int) -> str:
	if i < len(header) and header[i]:
		return header[i]
	return _column_letter(i)


def _column_letter(i: int) -> str:
	letters = ""
	i += 1
	while i:
		i, rest = divmod(i - 1, 26)
		letters = chr(65 + rest) + letters
	return letters


def _cell_text(value) -> str:
	if value is None:
		return ""
	if isinstance(value, bool):
		return "TRUE" if value else "FALSE"
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	if isinstance(value, datetime.datetime):
		return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
	if isinstance(value, datetime.date | datetime.time):
		return value.isoformat()
	return " ".join(_tidy(str(value)).split("\n"))


# --- markup and text ----------------------------------------------------------------------------------


def _read_markdown(content: bytes, limits: Limits) -> tuple[int, list[Part]]:
	import markdown2

	html = markdown2.markdown(_decode(content), extras=["tables", "fenced-code-blocks", "strike"])
	return _html_parts(str(html))


def _read_html(content: bytes, limits: Limits) -> tuple[int, list[Part]]:
	return _html_parts(_decode(content))


def _html_parts(html: str) -> tuple[int, list[Part]]:
	"""Consecutive paragraphs under one heading form one part (cut when long)."""
	sections = _Sections()
	last = ""
	for heading, paragraph in html_blocks(html):
		if heading != last:
			sections.start(heading)
			last = heading
		sections.add(paragraph)
	return 0, sections.done()


def _read_text(content: bytes, limits: Limits) -> tuple[int, list[Part]]:
	paragraphs = re.split(r"\n[ \t]*\n", _tidy(_decode(content)))
	return 0, [Part(text=text) for text in _pieces(paragraphs)]


def _decode(content: bytes) -> str:
	"""Text in whatever encoding it came (UTF-8, GB18030, UTF-16, Latin-1...)."""
	from charset_normalizer import from_bytes

	try:
		best = from_bytes(content).best()
	except Exception:
		best = None
	if best is None and b"\x00" in content[:8192]:
		raise _Stop(C.FILE_FAILED, "broken", error="not a text file (binary content)")
	text = str(best) if best is not None else content.decode("utf-8", errors="replace")
	return text.lstrip("\ufeff")


_READERS = {
	"pdf": _read_pdf,
	"docx": _read_docx,
	"odt": _read_odt,
	"ods": _read_ods,
	"xlsx": _read_xlsx,
	"markdown": _read_markdown,
	"html": _read_html,
	"text": _read_text,
}


# --- text helpers -------------------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f]+")
_BLANKS_RE = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
	"""Runs of spaces collapsed, lines stripped, at most one blank line between paragraphs."""
	text = _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
	lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
	return _BLANKS_RE.sub("\n\n", "\n".join(lines)).strip()


def _pieces(paragraphs: list[str], limit: int = PART_CHARS) -> list[str]:
	"""Paragraphs joined by blank lines into pieces of at most about `limit` characters, cut at
	paragraph ends (a longer paragraph at a line end, a sentence end or a space)."""
	pieces: list[str] = []
	current: list[str] = []
	size = 0
	for paragraph in paragraphs:
		paragraph = paragraph.strip()
		if not paragraph:
			continue
		for chunk in _split_long(paragraph, limit):
			if current and size + 2 + len(chunk) > limit:
				pieces.append("\n\n".join(current))
				current, size = [], 0
			current.append(chunk)
			size += len(chunk) + (2 if size else 0)
	if current:
		pieces.append("\n\n".join(current))
	return pieces


def _split_long(text: str, limit: int) -> list[str]:
	chunks = []
	while len(text) > limit:
		window = text[:limit]
		cut = -1
		for mark in ("\n", "。", "！", "？", ". ", "; ", " "):
			at = window.rfind(mark)
			if at >= limit // 2:
				cut = at + len(mark)
				break
		if cut <= 0:
			cut = limit
		chunks.append(text[:cut].strip())
		text = text[cut:].strip()
	if text:
		chunks.append(text)
	return chunks


def _extension(file_name: str) -> str:
	return os.path.splitext((file_name or "").strip().lower())[1]


def _short(e: BaseException) -> str:
	"""An error in one short line (never a traceback)."""
	message = str(e).strip().split("\n")[0]
	text = f"{type(e).__name__}: {message}" if message else type(e).__name__
	return text[:200]

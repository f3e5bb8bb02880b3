"""Answers inside documents: finding the right page of an attached file, against the same content
as separate articles.

    python benchmarks/documents.py [--set stackfaq_en|insuranceqa_en ...] [--format pdf|docx|both]
        [--articles N] [--queries N] [--per-file 10] [--files-per-container 5] [--seed 0] [--semantic]

Per set (dev queries; a deterministic subset, subsets.py: the drawn queries, their articles, random
distractors): the articles, shuffled by the seed, are written --per-file to a file at run time into a
temporary folder (PDF with reportlab: one article per page, its title as the page's first line in a
bigger font and its text below, a long article running on over several pages; .docx with python-docx:
one article per section under a Heading 1 of its title), half the files PDF and half .docx with
`--format both`. Each file is read with attachments.extract.extract_isolated (the product's path: a
child process per file), and --files-per-container files become the `files` of one neutral container
article ("Product manual 3", no text of its own). The same articles are also indexed as separate
articles (title + text). Two fresh tantivy indexes, searched with service.search_articles, lexical
on both sides. --semantic adds hybrid search on both sides: each file part gets its own vector as the
product's reading job makes it, the articles theirs (vector_cache.py; the first run embeds, slowly).
The parts' vectors also go to the engine's part vectors (as the product's embedding job puts them),
so a page is found by its meaning alone as well.

A query is answered in the files at rank r when result r is the container holding a relevant
article and its location is that article's: for a PDF, `file.name` and `file.page` one of the
article's pages; for a .docx, `file.name` and the result's `heading` the article's title. As
separate articles, when result r is a relevant article. Printed per set and format (a query counts
under the format of its first relevant article's file): MRR@10 in the files, MRR@10 as separate
articles, their difference, and MRR@10 of the right container whatever its location (what is lost to
a wrong page). Then the costs: writing, extraction (wall time through extract_isolated: PDF pages/s,
.docx sections/s), index build time of both indexes, and peak memory (max RSS of this process, and
of the extraction children: getrusage RUSAGE_SELF / RUSAGE_CHILDREN; a child is forked, so its
figure counts what it shares with this process). Figures, never pass/fail; last, one JSON line with
the headline numbers.

insuranceqa_en articles have no title: they get a neutral one, "Answer <number>", on both sides.

`python benchmarks/documents.py` (stackfaq_en: its 125 articles, 612 queries; insuranceqa_en: 5000
articles, 500 queries; seed 0), lexical, with PDF pages cut at their headings (a line set larger than
the page's text heads the part below it, extract.py):

| set | format | queries | MRR@10 in files | separate articles | difference | right container |
|---|---|---|---|---|---|---|
| stackfaq_en | pdf | 311 | 0.8617 | 0.8866 | -0.0249 | 0.9389 |
| stackfaq_en | docx | 301 | 0.7841 | 0.8411 | -0.0570 | 0.9014 |
| stackfaq_en | all | 612 | 0.8235 | 0.8642 | -0.0407 | 0.9205 |
| insuranceqa_en | pdf | 266 | 0.5168 | 0.5151 | +0.0016 | 0.5334 |
| insuranceqa_en | docx | 234 | 0.5526 | 0.5550 | -0.0024 | 0.5704 |
| insuranceqa_en | all | 500 | 0.5335 | 0.5338 | -0.0003 | 0.5507 |

Before pages were cut at their headings, a page's title line was only its passage's lead (weight 0.3,
where a .docx section's title is its heading, 1.0, and an article's its title, 1.5): stackfaq_en all
-0.0807 (pdf -0.1412), insuranceqa_en all -0.0374 (pdf -0.0871). On stackfaq_en most of what is left
is grouping: results are one per article, and with 3 containers another page of the right container
often wins (right container 0.92 against right page 0.82).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import article_from_record, metrics_for
from subsets import load_set

from km_crm import constants as C
from km_crm.attachments.extract import extract_isolated
from km_crm.search import embedding
from km_crm.search.backend import part_vector_key
from km_crm.search.documents import article_to_passages, embedding_source, html_blocks, part_vectors
from km_crm.search.factory import get_backend
from km_crm.search.service import search_articles
from km_crm.search.vector_store import pack, unpack

DATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
SETS = ("stackfaq_en", "insuranceqa_en")
# defaults that run in a few minutes per set on a 2-core machine: (articles, queries); None = all
DEFAULTS = {"stackfaq_en": (None, None), "insuranceqa_en": (5000, 500)}
FORMATS = ("pdf", "docx")


@dataclass
class Entry:
	"""One evaluation article as it is written into a file and indexed on its own."""

	id: str
	title: str
	paragraphs: list[str]


@dataclass
class Written:
	"""One file written: its name, format, bytes and which article is where in it."""

	name: str
	fmt: str
	container: str
	content: bytes
	entries: list[Entry]
	pages: dict[str, list[int]] = field(default_factory=dict)  # PDF: article id -> its pages


def entry_of(rec: dict) -> Entry:
	"""The title and plain paragraphs of an evaluation article, as the product reads its text."""
	title = " ".join((rec.get("title") or "").split())
	if not title:  # insuranceqa: answers without a title
		title = f"Answer {rec['id'].rsplit('-a', 1)[-1]}"
	article = article_from_record(rec)
	return Entry(rec["id"], title, [text for _h, text in html_blocks(article["resolution"])])


def separate_article(rec: dict, entry: Entry) -> dict:
	"""The article indexed on its own: the same title and text as in the file."""
	article = article_from_record(rec)
	article["title"] = entry.title
	return article


def _pdf_styles():
	from reportlab.lib.styles import ParagraphStyle
	from reportlab.pdfbase import pdfmetrics
	from reportlab.pdfbase.ttfonts import TTFont

	if "Vera" not in pdfmetrics.getRegisteredFontNames():  # embedded, so every character reads back
		pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
		pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
	title = ParagraphStyle("km-title", fontName="VeraBd", fontSize=16, leading=20, spaceAfter=10)
	body = ParagraphStyle("km-body", fontName="Vera", fontSize=10, leading=13, spaceAfter=6)
	return title, body


def write_pdf(entries: list[Entry]) -> tuple[bytes, dict[str, list[int]]]:
	"""A PDF, one article per page (a long one runs on), and the pages of each article."""
	from reportlab.lib.pagesizes import A4
	from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

	title_style, body_style = _pdf_styles()
	starts: list[int] = []
	last_page = [0]

	class Doc(SimpleDocTemplate):
		def afterFlowable(self, flowable):
			if getattr(flowable, "km_start", False):
				starts.append(self.page)

	def on_page(canvas, _doc):
		last_page[0] = max(last_page[0], canvas.getPageNumber())

	story = []
	for i, entry in enumerate(entries):
		if i:
			story.append(PageBreak())
		heading = Paragraph(escape(entry.title), title_style)
		heading.km_start = True
		story.append(heading)
		story.extend(Paragraph(escape(p).replace("\n", "<br/>"), body_style) for p in entry.paragraphs)
	out = io.BytesIO()
	Doc(out, pagesize=A4, title="Product manual").build(story, onFirstPage=on_page, onLaterPages=on_page)
	ends = [*(s - 1 for s in starts[1:]), last_page[0]]
	pages = {e.id: list(range(s, end + 1)) for e, s, end in zip(entries, starts, ends, strict=True)}
	return out.getvalue(), pages


def write_docx(entries: list[Entry]) -> bytes:
	"""A .docx, one article per section under a Heading 1 of its title."""
	import docx

	document = docx.Document()
	for entry in entries:
		document.add_heading(entry.title, level=1)
		for p in entry.paragraphs:
			document.add_paragraph(p)
	out = io.BytesIO()
	document.save(out)
	return out.getvalue()


def write_files(entries: list[Entry], fmt: str, per_file: int, per_container: int) -> list[Written]:
	"""The files, `per_file` articles each, `per_container` files to a container; with fmt "both",
	every other file is a .docx."""
	files = []
	for n, start in enumerate(range(0, len(entries), per_file)):
		chunk = entries[start : start + per_file]
		kind = fmt if fmt != "both" else FORMATS[n % 2]
		container = f"container-{n // per_container + 1}"
		name = f"manual-{n // per_container + 1}-{n % per_container + 1}.{kind}"
		if kind == "pdf":
			content, pages = write_pdf(chunk)
			files.append(Written(name, kind, container, content, chunk, pages))
		else:
			files.append(Written(name, kind, container, write_docx(chunk), chunk))
	return files


@dataclass
class Extracted:
	seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FORMATS, 0.0))
	parts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORMATS, 0))
	files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORMATS, 0))
	problems: list[str] = field(default_factory=list)


def extract_files(files: list[Written]) -> tuple[dict[str, list[dict]], Extracted]:
	"""{container: its `files` as the article dict carries them}, and what reading them took."""
	containers: dict[str, list[dict]] = {}
	took = Extracted()
	for f in files:
		t0 = time.perf_counter()
		result = extract_isolated(f.content, f.name)
		took.seconds[f.fmt] += time.perf_counter() - t0
		parts = result.as_dict()["parts"]
		took.parts[f.fmt] += len(parts)
		took.files[f.fmt] += 1
		if result.status != C.FILE_EXTRACTED or not parts:
			took.problems.append(f"{f.name}: {result.status} {result.problem} {result.detail}")
		containers.setdefault(f.container, []).append(
			{
				"file_name": f.name,
				"content_hash": hashlib.sha256(f.content).hexdigest(),
				"private": False,
				"parts": parts,
			}
		)
	return containers, took


def container_article(name: str, files: list[dict]) -> dict:
	number = name.rsplit("-", 1)[-1]
	article = article_from_record({"id": name, "title": f"Product manual {number}", "body": "", "lang": "en"})
	article["files"] = files
	return article


def build_index(tmp: str, label: str, articles) -> tuple[object, float, int]:
	"""A fresh tantivy index of the articles: (backend, seconds, passages)."""
	backend = get_backend({"backend": "tantivy", "index_path": os.path.join(tmp, label)})
	backend.ensure_schema()
	t0 = time.perf_counter()
	n = backend.rebuild(p for article in articles for p in article_to_passages(article))
	return backend, time.perf_counter() - t0, n


def _norm(text: str | None) -> str:
	return " ".join(str(text or "").split()).casefold()


def locator(files: list[Written]):
	"""result -> the article ids at the result's location (an empty set outside the files)."""
	by_page: dict[tuple[str, int], set[str]] = {}
	by_heading: dict[tuple[str, str], set[str]] = {}
	for f in files:
		for e in f.entries:
			if f.fmt == "pdf":
				for page in f.pages[e.id]:
					by_page.setdefault((f.name, page), set()).add(e.id)
			else:
				by_heading.setdefault((f.name, _norm(e.title)), set()).add(e.id)

	def located(result) -> set[str]:
		where = result.file
		if not where:
			return set()
		if where["name"].endswith(".pdf"):
			return by_page.get((where["name"], where["page"]), set())
		return by_heading.get((where["name"], _norm(result.heading)), set())

	return located


def add_part_vectors(containers: dict[str, list[dict]], cache) -> None:
	"""Each file part's own vector, as the product's reading job makes it (its heading, or the file's
	name, and its text), before the parts are indexed."""
	parts = [(f, p) for files in containers.values() for f in files for p in f["parts"]]
	texts = [
		embedding.passage_text(p.get("heading") or f["file_name"], p.get("text") or "") for f, p in parts
	]
	for (_f, part), vector in zip(parts, cache.passages(texts, progress=True), strict=True):
		part["vector"] = pack(vector)


def add_article_vectors(backend, articles: list[dict], cache) -> None:
	"""The articles' vectors (the container articles', or the separate ones') in the engine's store."""
	texts = [embedding.passage_text(*embedding_source(a)) for a in articles]
	vectors = cache.passages(texts, progress=True)
	backend.vectors().put(
		{a["name"]: (embedding.text_hash(t), v) for a, t, v in zip(articles, texts, vectors, strict=True)}
	)
	parts = {
		part_vector_key(a["name"], key): (embedding.text_hash(packed), unpack(packed))
		for a in articles
		for key, packed in part_vectors(a).items()
	}
	if parts:
		backend.part_vectors().put(parts)


def reciprocal_rank(hits: list[bool]) -> float:
	for i, hit in enumerate(hits[:10]):
		if hit:
			return 1.0 / (i + 1)
	return 0.0


def run_set(name: str, args) -> dict:
	folder = Path(name) if os.sep in name else DATA / name
	articles_default, queries_default = DEFAULTS.get(folder.name, (None, None))
	data = load_set(
		folder,
		subset=args.articles or articles_default,
		queries=args.queries or queries_default,
		seed=args.seed,
	)
	records = list(data.articles)
	random.Random(args.seed).shuffle(records)
	entries = [entry_of(rec) for rec in records]
	tmp = tempfile.mkdtemp(prefix="km_documents_")
	backends = []
	try:
		t0 = time.perf_counter()
		files = write_files(entries, args.format, args.per_file, args.files_per_container)
		written_s = time.perf_counter() - t0
		for f in files:  # on disk like any upload, only for a look at them while the run lasts
			Path(tmp, f.name).write_bytes(f.content)
		containers, took = extract_files(files)
		for problem in took.problems:
			print(f"  extraction: {problem}", file=sys.stderr)

		cache = None
		if args.semantic:  # search by meaning on both sides (embedded once, then from the benchmarks' cache)
			from vector_cache import VectorCache

			if not embedding.available():
				raise SystemExit(f"--semantic: {embedding.unavailable_reason()}")
			cache = VectorCache()
			add_part_vectors(containers, cache)
		holders = [container_article(c, fs) for c, fs in containers.items()]
		in_files, files_s, file_passages = build_index(tmp, "files", holders)
		backends.append(in_files)
		alone = [separate_article(rec, e) for rec, e in zip(records, entries, strict=True)]
		separate, separate_s, separate_passages = build_index(tmp, "separate", alone)
		backends.append(separate)
		if cache is not None:
			add_article_vectors(in_files, holders, cache)
			add_article_vectors(separate, alone, cache)
			print(
				f"  vectors: {cache.embedded} embedded now ({cache.seconds:.0f}s)",
				flush=True,
			)

		fmt_of = {e.id: f.fmt for f in files for e in f.entries}
		container_of = {e.id: f.container for f in files for e in f.entries}
		located = locator(files)
		modes = ("lexical", "hybrid") if args.semantic else ("lexical",)
		rows = {
			(mode, fmt): {"queries": 0, "files": 0.0, "separate": 0.0, "container": 0.0}
			for mode in modes
			for fmt in FORMATS
		}
		for q in data.queries:
			relevant = set(q["relevant"])
			holders = {container_of[a] for a in relevant if a in container_of}
			for mode in modes:
				ask = {
					"audiences": ("Public",),
					"limit": 10,
					"semantic": mode == "hybrid",
				}
				results = search_articles(in_files, q["text"], **ask)
				ranked = [r.article_id for r in search_articles(separate, q["text"], **ask)]
				row = rows[mode, fmt_of[q["relevant"][0]]]
				row["queries"] += 1
				row["files"] += reciprocal_rank([bool(located(r) & relevant) for r in results])
				row["container"] += reciprocal_rank([r.article_id in holders for r in results])
				row["separate"] += metrics_for(ranked, relevant)["mrr@10"]
		pages = sum(len(p) for f in files for p in f.pages.values())
		return {
			"set": folder.name,
			"articles": len(entries),
			"queries": len(data.queries),
			"files": {fmt: took.files[fmt] for fmt in FORMATS},
			"containers": len(containers),
			"pdf_pages_written": pages,
			"rows": rows,
			"modes": modes,
			"written_s": written_s,
			"extracted": took,
			"index_s": (files_s, separate_s),
			"passages": (file_passages, separate_passages),
			"rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
			"rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
		}
	finally:
		for backend in backends:
			backend.close()
		shutil.rmtree(tmp, ignore_errors=True)


def _mrr(row: dict, key: str) -> float:
	return row[key] / row["queries"] if row["queries"] else 0.0


def report(runs: list[dict], args) -> dict:
	search = (
		"lexical, and hybrid (each file part with its own vector, as the product embeds it)"
		if args.semantic
		else "lexical (no vectors; --semantic adds hybrid)"
	)
	print(
		f"\nSearch on both sides: {search}. {args.per_file} articles per file,"
		f" {args.files_per_container} files per container, seed {args.seed}."
	)
	print(
		"| set | search | format | articles | queries | MRR@10 in files (right page)"
		" | MRR@10 separate articles | difference | MRR@10 right container, any location |"
	)
	print("|---|---|---|---|---|---|---|---|---|")
	headline = {}
	keys = ("queries", "files", "separate", "container")
	for run in runs:
		headline[run["set"]] = figures = {}
		for mode in run["modes"]:
			rows = {fmt: run["rows"][mode, fmt] for fmt in FORMATS}
			total = {k: sum(r[k] for r in rows.values()) for k in keys}
			labelled = [(fmt, rows[fmt]) for fmt in FORMATS if rows[fmt]["queries"]]
			if len(labelled) > 1:
				labelled.append(("all", total))
			for fmt, row in labelled:
				a, b, c = (
					_mrr(row, "files"),
					_mrr(row, "separate"),
					_mrr(row, "container"),
				)
				print(
					f"| {run['set']} | {mode} | {fmt} | {run['articles']} | {row['queries']} | {a:.4f}"
					f" | {b:.4f} | {a - b:+.4f} | {c:.4f} |"
				)
			prefix = "" if mode == "lexical" else f"{mode}_"
			figures.update(
				{
					f"{prefix}mrr_files": round(_mrr(total, "files"), 4),
					f"{prefix}mrr_separate": round(_mrr(total, "separate"), 4),
					f"{prefix}mrr_container": round(_mrr(total, "container"), 4),
					**{
						f"{prefix}mrr_files_{fmt}": round(_mrr(r, "files"), 4)
						for fmt, r in labelled
						if fmt != "all"
					},
				}
			)
	print(
		"\n| set | files (pdf / docx) | containers | PDF pages | .docx sections | written s"
		" | extraction pages/s (PDF) | sections/s (.docx) | index build s (files / separate)"
		" | peak RSS MB (this process / extraction children) |"
	)
	print("|---|---|---|---|---|---|---|---|---|---|")
	for run in runs:
		took = run["extracted"]
		rate = {fmt: took.parts[fmt] / took.seconds[fmt] if took.seconds[fmt] else 0.0 for fmt in FORMATS}
		files_s, separate_s = run["index_s"]
		print(
			f"| {run['set']} | {took.files['pdf']} / {took.files['docx']} | {run['containers']}"
			f" | {took.parts['pdf']} | {took.parts['docx']} | {run['written_s']:.1f}"
			f" | {rate['pdf']:.1f} ({took.seconds['pdf']:.1f} s) | {rate['docx']:.1f} ({took.seconds['docx']:.1f} s)"
			f" | {files_s:.1f} / {separate_s:.1f} | {run['rss_self_mb']:.0f} / {run['rss_children_mb']:.0f} |"
		)
		if took.parts["pdf"] != run["pdf_pages_written"]:
			print(f"  {run['set']}: {run['pdf_pages_written']} PDF pages written, {took.parts['pdf']} read")
		headline[run["set"]].update(
			pdf_pages_per_s=round(rate["pdf"], 1),
			docx_sections_per_s=round(rate["docx"], 1),
			index_s=round(files_s, 2),
			rss_self_mb=round(run["rss_self_mb"]),
			rss_children_mb=round(run["rss_children_mb"]),
		)
	print("(peak RSS is the largest so far in this run: a later set's figure includes the earlier ones)")
	return headline


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument(
		"--set",
		action="append",
		help=f"{' | '.join(SETS)} (a folder under {DATA}) or a path; default both",
	)
	parser.add_argument("--format", default="both", choices=("pdf", "docx", "both"))
	parser.add_argument(
		"--articles",
		type=int,
		default=None,
		help="articles in the subset (default: 5000 insuranceqa_en, all stackfaq_en)",
	)
	parser.add_argument(
		"--queries",
		type=int,
		default=None,
		help="dev queries drawn (default: 500 insuranceqa_en, all stackfaq_en)",
	)
	parser.add_argument("--per-file", type=int, default=10, help="articles per file")
	parser.add_argument("--files-per-container", type=int, default=5)
	parser.add_argument("--seed", type=int, default=0)
	parser.add_argument(
		"--semantic",
		action="store_true",
		help="hybrid search too, on both sides (vectors cached on disk)",
	)
	args = parser.parse_args(argv)
	runs = []
	for name in args.set or SETS:
		t0 = time.perf_counter()
		run = run_set(name, args)
		runs.append(run)
		print(f"{run['set']}: done in {time.perf_counter() - t0:.0f}s", flush=True)
	print(json.dumps(report(runs, args)))
	return 0


if __name__ == "__main__":
	raise SystemExit(main())

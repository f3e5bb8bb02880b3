"""Collect the user-facing strings of km_crm without importing frappe.

Used by ``tests/test_translations.py`` and runnable as a script::

    python tests/translatable_strings.py            # print every string, one per line
    python tests/translatable_strings.py --missing  # print the strings km_crm/translations/zh.csv lacks

Sources of strings:

* DocType JSON: the DocType name, each field's ``label`` and ``description`` and each option of
  Select fields (language codes and search engine ids are left out).
* Workspace JSON (label, title, link/card/shortcut labels), Report JSON (``report_name``),
  Page JSON (``title``).
* Python: string literals passed directly to ``_()`` (or ``frappe._()``); the values of
  ``ACTION_LABELS``, ``SECTIONS``/``SECTION_LABELS``, ``FIELD_LABELS`` and ``PLACEHOLDERS``; and module-level
  ``MSG_*`` / ``REASON_*`` string constants (messages translated at runtime).
* JavaScript: string literals passed to ``__()`` (template literals without ``${}`` only).
* Role names from ``km_crm/fixtures/role.json``.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
APP_DIR = REPO_ROOT / "km_crm"
ZH_CSV = APP_DIR / "translations" / "zh.csv"

#: Select option values that are codes, not words: never shown translated.
UNTRANSLATED_OPTIONS = frozenset({"en", "zh", "tantivy", "elasticsearch"})

#: Module-level dicts / sequences whose string values are labels translated at runtime.
LABEL_CONSTANTS = frozenset({"ACTION_LABELS", "SECTIONS", "SECTION_LABELS", "FIELD_LABELS", "PLACEHOLDERS"})
MESSAGE_PREFIXES = ("MSG_", "REASON_")

# Directories that hold no user-facing app strings.
_SKIP_DIRS = frozenset({"tests", "node_modules", "__pycache__", "dist"})

_JS_CALL = re.compile(
	r"""(?<![\w$.])__\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`)""",
	re.S,
)
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.S)
_JS_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
PLACEHOLDER = re.compile(r"\{[^{}\s]*\}")


def _files(pattern: str) -> list[Path]:
	return sorted(
		p for p in APP_DIR.glob(pattern) if not _SKIP_DIRS.intersection(p.relative_to(APP_DIR).parts)
	)


def _add(found: dict[str, str], text: object, where: str) -> None:
	"""Record ``text`` (first place it was seen wins) if it is a non-blank string."""
	if isinstance(text, str) and text.strip() and text not in found:
		found[text] = where


def _rel(path: Path) -> str:
	return path.relative_to(REPO_ROOT).as_posix()


def _load_json(path: Path) -> object:
	with open(path, encoding="utf-8") as f:
		return json.load(f)


# --- JSON ------------------------------------------------------------------------------------------
def _from_doctype(path: Path, found: dict[str, str]) -> None:
	data = _load_json(path)
	if not isinstance(data, dict) or data.get("doctype") != "DocType":
		return
	where = _rel(path)
	_add(found, data.get("name"), where)
	for field in data.get("fields") or []:
		_add(found, field.get("label"), where)
		_add(found, field.get("description"), where)
		if field.get("fieldtype") == "Select" and isinstance(field.get("options"), str):
			for option in field["options"].split("\n"):
				option = option.strip()
				if option and option not in UNTRANSLATED_OPTIONS:
					_add(found, option, where)


def _from_workspace(path: Path, found: dict[str, str]) -> None:
	data = _load_json(path)
	if not isinstance(data, dict):
		return
	where = _rel(path)
	_add(found, data.get("label"), where)
	_add(found, data.get("title"), where)
	for key in ("links", "shortcuts", "cards", "charts", "number_cards", "quick_lists", "custom_blocks"):
		for item in data.get(key) or []:
			if isinstance(item, dict):
				_add(found, item.get("label"), where)
	# Header blocks and card names of the workspace layout.
	try:
		blocks = json.loads(data.get("content") or "[]")
	except ValueError:
		blocks = []
	for block in blocks if isinstance(blocks, list) else []:
		if not isinstance(block, dict) or not isinstance(block.get("data"), dict):
			continue
		block_data = block["data"]
		_add(found, block_data.get("card_name"), where)
		_add(found, block_data.get("shortcut_name"), where)
		header = block_data.get("text") if block.get("type") == "header" else None
		if isinstance(header, str):
			text = re.sub(r"<[^>]+>", "", header).replace("&amp;", "&").strip()
			_add(found, text, where)


def _from_report(path: Path, found: dict[str, str]) -> None:
	data = _load_json(path)
	if isinstance(data, dict) and data.get("doctype") == "Report":
		_add(found, data.get("report_name"), _rel(path))


def _from_page(path: Path, found: dict[str, str]) -> None:
	data = _load_json(path)
	if isinstance(data, dict) and data.get("doctype") == "Page":
		_add(found, data.get("title"), _rel(path))


def _from_roles(found: dict[str, str]) -> None:
	path = APP_DIR / "fixtures" / "role.json"
	if not path.exists():
		return
	for row in _load_json(path) or []:
		if isinstance(row, dict) and row.get("doctype") == "Role":
			_add(found, row.get("role_name") or row.get("name"), _rel(path))


# --- Python ----------------------------------------------------------------------------------------
def _is_translate_call(node: ast.Call) -> bool:
	func = node.func
	if isinstance(func, ast.Name):
		return func.id == "_"
	return (
		isinstance(func, ast.Attribute)
		and func.attr == "_"
		and isinstance(func.value, ast.Name)
		and (func.value.id == "frappe")
	)


def _constant_strings(node: ast.AST) -> list[str]:
	"""Labels in a constant: a string, the values of a dict, the last item of each pair of a tuple."""
	if isinstance(node, ast.Constant) and isinstance(node.value, str):
		return [node.value]
	if isinstance(node, ast.Dict):
		return [s for v in node.values if v is not None for s in _constant_strings(v)]
	if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
		out: list[str] = []
		for elt in node.elts:
			if isinstance(elt, (ast.Tuple, ast.List)) and elt.elts:
				last = elt.elts[-1]  # ("issue", "Issue"): the label is the last item
				if isinstance(last, ast.Constant) and isinstance(last.value, str):
					out.append(last.value)
		return out  # a plain tuple of strings holds keys (field names), not labels
	return []


def _from_python(path: Path, found: dict[str, str]) -> None:
	source = path.read_text(encoding="utf-8")
	tree = ast.parse(source, filename=str(path))
	where = _rel(path)
	for node in ast.walk(tree):
		if isinstance(node, ast.Call) and _is_translate_call(node) and node.args:
			first = node.args[0]
			if isinstance(first, ast.Constant) and isinstance(first.value, str):
				_add(found, first.value, f"{where}:{node.lineno}")
	# module constants, and class attributes (e.g. an AppendOnly controller's MSG_* in its own words)
	statements = [*tree.body, *(s for c in tree.body if isinstance(c, ast.ClassDef) for s in c.body)]
	for stmt in statements:
		if isinstance(stmt, ast.Assign):
			targets, value = stmt.targets, stmt.value
		elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
			targets, value = [stmt.target], stmt.value
		else:
			continue
		for target in targets:
			if not isinstance(target, ast.Name):
				continue
			name = target.id
			if name in LABEL_CONSTANTS:
				# SECTION_LABELS of km_crm.search.documents maps languages to labels already translated.
				if isinstance(value, ast.Dict) and any(isinstance(v, ast.Dict) for v in value.values):
					continue
				for text in _constant_strings(value):
					_add(found, text, f"{where}:{stmt.lineno}")
			elif name.startswith(MESSAGE_PREFIXES):
				if isinstance(value, ast.Constant) and isinstance(value.value, str):
					_add(found, value.value, f"{where}:{stmt.lineno}")


# --- JavaScript ------------------------------------------------------------------------------------
def _js_unescape(body: str) -> str:
	def repl(m: re.Match) -> str:
		esc = m.group(1)
		if esc.startswith("u{"):
			return chr(int(esc[2:-1], 16))
		if esc[0] in "ux" and len(esc) > 1:
			return chr(int(esc[1:], 16))
		if esc in ("\n", "\r\n"):  # line continuation
			return ""
		return _JS_SIMPLE_ESCAPES.get(esc, esc)

	return _JS_ESCAPE.sub(repl, body)


_JS_LINE_COMMENT = re.compile(r"^[ \t]*//[^\n]*", re.M)
_JS_BLOCK_COMMENT = re.compile(r"^[ \t]*/\*.*?\*/", re.M | re.S)


def _strip_js_comments(source: str) -> str:
	"""Drop comments that start a line (``// ...`` and ``/* ... */``); a full tokenizer is not needed."""
	return _JS_LINE_COMMENT.sub("", _JS_BLOCK_COMMENT.sub("", source))


def js_strings(source: str) -> list[str]:
	"""Literal first arguments of ``__()`` calls in JavaScript ``source``."""
	out = []
	for m in _JS_CALL.finditer(_strip_js_comments(source)):
		double, single, template = m.groups()
		if template is not None:
			if "${" in template:
				continue
			body = template
		else:
			body = double if double is not None else single
		out.append(_js_unescape(body))
	return out


def _from_js(path: Path, found: dict[str, str]) -> None:
	where = _rel(path)
	for text in js_strings(path.read_text(encoding="utf-8")):
		_add(found, text, where)


# --- All -------------------------------------------------------------------------------------------
def extract() -> dict[str, str]:
	"""Every user-facing string -> where it was first found (a repo-relative path)."""
	found: dict[str, str] = {}
	for path in _files("**/doctype/*/*.json"):
		_from_doctype(path, found)
	for path in _files("**/workspace/*/*.json"):
		_from_workspace(path, found)
	for path in _files("**/report/*/*.json"):
		_from_report(path, found)
	for path in _files("**/page/*/*.json"):
		_from_page(path, found)
	_from_roles(found)
	for path in _files("**/*.py"):
		_from_python(path, found)
	for path in _files("**/*.js"):
		_from_js(path, found)
	return found


def placeholders(text: str) -> set[str]:
	"""The ``{...}`` placeholders of a message (``{0}``, ``{approvals}``, ...)."""
	return set(PLACEHOLDER.findall(text))


def read_translations(path: Path = ZH_CSV) -> list[list[str]]:
	with open(path, encoding="utf-8", newline="") as f:
		return [row for row in csv.reader(f) if row]


def main(argv: list[str]) -> int:
	strings = extract()
	if "--missing" in argv:
		rows = read_translations() if ZH_CSV.exists() else []
		have = {row[0] for row in rows if len(row) > 1 and row[1].strip()}
		strings = {s: w for s, w in strings.items() if s not in have}
	writer = csv.writer(sys.stdout)
	for text, where in strings.items():
		writer.writerow([text, where])
	return 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))

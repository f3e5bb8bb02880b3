"""The OpenAPI 3.1 document of km_crm's endpoints, made from their source (pure: no Frappe).

Every function in km_crm/api/ decorated with `frappe.whitelist(...)` is a path
`/api/method/km_crm.api.<module>.<function>`: its HTTP methods and guest access come from the
decorator, its parameters from the signature's type annotations and defaults, its summary and
description from the docstring, its tag from the module's docstring. Endpoints that count requests
against the caller's minute (rate_limits.check_search_rate / check_rate) answer 429 over the limit.

`scripts/openapi` writes the document to km_crm/api/openapi.json; a site-free test makes it again
and compares, so the committed document cannot drift from the code; the site serves it at
/api/method/km_crm.api.openapi.spec.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

API_DIR = Path(__file__).resolve().parent
DOCUMENT = API_DIR / "openapi.json"
FRAPPE_DEFAULT_METHODS = ("GET", "POST", "PUT", "DELETE")
DOCUMENTED_METHODS = ("GET", "POST")  # PUT and DELETE reach the same function: nothing more to say
RATE_LIMITED_CALLS = frozenset({"check_search_rate", "check_rate"})

_SCALARS = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}

DESCRIPTION = """Governed knowledge of this site (km_crm): search, ticket suggestions, links, feedback,
self-service deflection, experts and passages for assistants. Every endpoint answers with what the
caller may read: guests get Public articles only, signed-in users what their roles allow; drafts,
earlier versions and other audiences never come back.

Authentication: an API key and secret (`Authorization: token <api_key>:<api_secret>`, or HTTP Basic
with the same pair), or the session cookie of a signed-in user (`sid`, after /api/method/login).
Endpoints marked for guests also answer without either.

Rate limits: searches (and endpoints counted with them) are limited per signed-in user and, for
guests, per address, per minute (KM Search Settings: Searches per Minute); over the limit the answer
is HTTP 429. Frappe answers with `{"message": <result>}`; errors carry `exc_type` and `_server_messages`.
"""


def build(api_dir: Path = API_DIR) -> dict:
	"""The OpenAPI document of the endpoints in `api_dir`."""
	paths, tags = {}, []
	for path in sorted(api_dir.glob("*.py")):
		if path.name.startswith(("test_", "_")) or path.name == Path(__file__).name:
			continue
		tree = ast.parse(path.read_text(encoding="utf-8"))
		endpoints = [fn for fn in tree.body if isinstance(fn, ast.FunctionDef) and _whitelist(fn) is not None]
		if not endpoints:
			continue
		tag = path.stem
		tags.append({"name": tag, "description": _first_paragraph(ast.get_docstring(tree) or "")})
		for fn in endpoints:
			paths[f"/api/method/km_crm.api.{tag}.{fn.name}"] = _path_item(fn, tag)
	return {
		"openapi": "3.1.0",
		"info": {"title": "km_crm knowledge API", "version": _version(api_dir), "description": DESCRIPTION},
		"servers": [{"url": "/", "description": "this site"}],
		"tags": tags,
		"paths": paths,
		"components": {
			"securitySchemes": {
				"token": {
					"type": "apiKey",
					"in": "header",
					"name": "Authorization",
					"description": "`token <api_key>:<api_secret>` of a user (User > API Access)",
				},
				"basic": {"type": "http", "scheme": "basic", "description": "api_key:api_secret"},
				"session": {"type": "apiKey", "in": "cookie", "name": "sid"},
			},
			"responses": {
				"Forbidden": {"description": "Not signed in, or not allowed", "content": _error_content()},
				"Invalid": {
					"description": "Bad input: a translated message says what",
					"content": _error_content(),
				},
				"TooManyRequests": {
					"description": "Over the caller's requests per minute (KM Search Settings)",
					"content": _error_content(),
				},
			},
		},
	}


def render(document: dict) -> str:
	return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _whitelist(fn: ast.FunctionDef) -> dict | None:
	"""The decorator's keywords ({"allow_guest": bool, "methods": [...]}) when `fn` is whitelisted."""
	for deco in fn.decorator_list:
		call = deco if isinstance(deco, ast.Call) else None
		target = call.func if call else deco
		if ast.unparse(target) == "frappe.whitelist":
			return {k.arg: ast.literal_eval(k.value) for k in (call.keywords if call else [])}
	return None


def _path_item(fn: ast.FunctionDef, tag: str) -> dict:
	options = _whitelist(fn) or {}
	methods = [m for m in options.get("methods") or FRAPPE_DEFAULT_METHODS if m in DOCUMENTED_METHODS]
	guest = bool(options.get("allow_guest"))
	doc = ast.get_docstring(fn) or ""
	params = _parameters(fn)
	limited = any(
		isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] in RATE_LIMITED_CALLS
		for node in ast.walk(fn)
	)
	responses = {
		"200": {
			"description": "The result, as Frappe wraps it",
			"content": {
				"application/json": {
					"schema": {"type": "object", "properties": {"message": _schema(fn.returns)}}
				}
			},
		},
		"403": {"$ref": "#/components/responses/Forbidden"},
		"417": {"$ref": "#/components/responses/Invalid"},
	}
	if limited:
		responses["429"] = {"$ref": "#/components/responses/TooManyRequests"}
	security = [{"token": []}, {"basic": []}, {"session": []}] + ([{}] if guest else [])
	item = {}
	for method in methods:
		operation = {
			"tags": [tag],
			"operationId": f"{tag}.{fn.name}" + ("" if len(methods) == 1 else f".{method.lower()}"),
			"summary": _first_sentence(doc) or fn.name.replace("_", " "),
			"description": doc + ("\n\nGuests may call it." if guest else "\n\nSigned-in callers only."),
			"security": security,
			"responses": responses,
			"x-rate-limited": limited,
		}
		if method == "GET":
			operation["parameters"] = [
				{"name": name, "in": "query", "required": required, "schema": schema}
				for name, schema, required in params
			]
		elif params:
			body = {
				"type": "object",
				"properties": {name: schema for name, schema, _r in params},
				"required": [name for name, _s, required in params if required],
			}
			operation["requestBody"] = {
				"required": any(required for _n, _s, required in params),
				"content": {
					"application/json": {"schema": body},
					"application/x-www-form-urlencoded": {"schema": body},
				},
			}
		item[method.lower()] = operation
	return item


def _parameters(fn: ast.FunctionDef) -> list[tuple[str, dict, bool]]:
	args = fn.args.args
	defaults = [None] * (len(args) - len(fn.args.defaults)) + list(fn.args.defaults)
	out = []
	for arg, default in zip(args, defaults, strict=True):
		schema = _schema(arg.annotation)
		value = _default(default, api_dir=API_DIR) if default is not None else None
		if value is not None:
			schema = {**schema, "default": value}
		out.append((arg.arg, schema, default is None))
	return out


def _default(node: ast.expr, api_dir: Path):
	"""A parameter's default: a literal, or a name of km_crm/constants.py (`C.LINK_SOLVED`)."""
	try:
		return ast.literal_eval(node)
	except ValueError:
		pass
	if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "C":
		tree = ast.parse((api_dir.parent / "constants.py").read_text(encoding="utf-8"))
		for stmt in tree.body:
			if isinstance(stmt, ast.Assign) and getattr(stmt.targets[0], "id", "") == node.attr:
				return ast.literal_eval(stmt.value)
	return None


def _schema(node: ast.expr | None) -> dict:
	"""JSON Schema of a type annotation (str, int, float, bool, dict, list[...], X | None)."""
	if node is None:
		return {}
	if isinstance(node, ast.Constant) and node.value is None:
		return {"type": "null"}
	if isinstance(node, ast.Name):
		if node.id in _SCALARS:
			return {"type": _SCALARS[node.id]}
		return {"type": {"dict": "object", "list": "array"}.get(node.id, "object")}
	if isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("list", "tuple"):
		inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
		return {"type": "array", "items": _schema(inner)}
	if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "dict":
		return {"type": "object"}
	if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
		options = [_schema(node.left), _schema(node.right)]
		types = [o.get("type") for o in options]
		if all(isinstance(t, str) for t in types) and all(len(o) == 1 for o in options):
			return {"type": types}
		return {"anyOf": options}
	return {}


def _first_paragraph(text: str) -> str:
	return " ".join(text.strip().split("\n\n")[0].split())


def _first_sentence(text: str) -> str:
	paragraph = _first_paragraph(text)
	end = paragraph.find(": ") if len(paragraph) > 120 else -1
	return paragraph if end < 0 else paragraph[:end]


def _version(api_dir: Path) -> str:
	tree = ast.parse((api_dir.parent / "__init__.py").read_text(encoding="utf-8"))
	for node in tree.body:
		if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__version__":
			return str(ast.literal_eval(node.value))
	return "0"


def _error_content() -> dict:
	return {
		"application/json": {
			"schema": {
				"type": "object",
				"properties": {"exc_type": {"type": "string"}, "_server_messages": {"type": "string"}},
			}
		}
	}

"""The requests each client major (7.17 for 7.x servers, 8.x for 8.x servers) sends for the calls whose
forms differ between the clients, recorded by a small fake server. A client of the other major is
looked for in KM_CRM_ES_CLIENT_DIRS (folders made with `pip install --target`; scripts/run-tests
prepares them)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from km_crm.search import es_compat
from km_crm.search.backend import INDEX_SCHEMA
from km_crm.search.elastic_requests import ENCODING_DENSE, VECTORS_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
ALIAS = "site1-km-passages"
VECTORS = "site1-km-vectors"

SCENARIO = """
import sys
from km_crm.search.factory import get_backend
from km_crm.search.service import build_query
backend = get_backend({"backend": "elasticsearch", "es_url": sys.argv[1], "index_prefix": "site1"})
backend.ensure_schema()
backend.neighbour_freqs("printr")
backend.search(build_query("printer driver", audiences=["Public"]))
backend.doc_freqs(["printer"])
backend.delete(["KB-1"])
backend.rebuild([])
from km_crm.search.backend import Filters
vectors = backend.vectors()
query = [1.0] + [0.0] * 383
assert vectors.count() == 0
vectors.nearest(query, 5)
vectors.similarities(query, [42])
vectors.versions()
backend.lead_passages(Filters(), ["KB-2"])
"""


def _client_dirs() -> dict[int, str | None]:
	"""{major: folder to put first on sys.path (None: the installed client)}."""
	found: dict[int, str | None] = {}
	for folder in filter(None, os.environ.get("KM_CRM_ES_CLIENT_DIRS", "").split(os.pathsep)):
		major = _major_in(Path(folder) / "elasticsearch" / "_version.py")
		if major:
			found[major] = folder
	import elasticsearch

	found[elasticsearch.VERSION[0]] = None
	return found


def _major_in(version_file: Path) -> int | None:
	try:
		return int(re.search(r'__versionstr__ = "(\d+)\.', version_file.read_text()).group(1))
	except (OSError, AttributeError):
		return None


class _Recorder(BaseHTTPRequestHandler):
	requests: ClassVar[list[tuple[str, str, dict | None]]] = []
	server_version_number = "7.17.0"

	def log_message(self, *args):
		pass

	def _answer(self):
		length = int(self.headers.get("content-length") or 0)
		raw = self.rfile.read(length) if length else b""
		path = self.path.split("?")[0]
		self.requests.append((self.command, self.path, json.loads(raw) if raw.strip() else None))
		body = {"acknowledged": True}
		if path == "/":
			body = {
				"version": {"number": self.server_version_number, "build_flavor": "default"},
				"tagline": "You Know, for Search",
			}
		elif path.endswith("/_search"):
			body = {"took": 1, "timed_out": False, "hits": {"hits": []}}
		elif path.endswith("/_termvectors"):
			body = {"term_vectors": {"text_t": {"terms": {"printer": {"doc_freq": 2}}}}}
		elif path == f"/{VECTORS}/_mapping":
			meta = {"km_vectors": VECTORS_SCHEMA, "dims": 384, "encoding": ENCODING_DENSE}
			body = {VECTORS: {"mappings": {"_meta": meta}}}
		elif path.endswith("/_count"):
			body = {"count": 0}
		elif path.endswith("/_mapping") and self.command == "GET":
			body = {f"{ALIAS}-000001": {"mappings": {"_meta": {"km_schema": "older"}}}}
		elif path == f"/_alias/{ALIAS}" and self.command == "GET":
			body = {f"{ALIAS}-000001": {"aliases": {ALIAS: {}}}}
		elif path.endswith("/_delete_by_query"):
			body = {"deleted": 0, "failures": []}
		data = json.dumps(body).encode()
		self.send_response(200)
		self.send_header("content-type", "application/json")
		self.send_header("x-elastic-product", "Elasticsearch")
		self.send_header("content-length", str(len(data)))
		self.end_headers()
		if self.command != "HEAD":
			self.wfile.write(data)

	do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer


def _record(major: int, folder: str | None) -> list[tuple[str, str, dict | None]]:
	handler = type("Handler", (_Recorder,), {"requests": [], "server_version_number": f"{major}.17.0"})
	server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
	threading.Thread(target=server.serve_forever, daemon=True).start()
	try:
		env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [folder, str(ROOT)])))
		url = f"http://127.0.0.1:{server.server_address[1]}"
		run = subprocess.run(
			[sys.executable, "-c", SCENARIO, url], env=env, capture_output=True, text=True, timeout=120
		)
		assert run.returncode == 0, run.stderr[-2000:]
	finally:
		server.shutdown()
	return handler.requests


def _one(requests, method: str, pattern: str) -> dict | None:
	found = [body for m, path, body in requests if m == method and re.fullmatch(pattern, path.split("?")[0])]
	assert found, f"no {method} {pattern} in {[(m, p) for m, p, _ in requests]}"
	return found[-1]


@pytest.mark.parametrize("major", [7, 8])
def test_each_client_major_sends_the_same_requests(major):
	folder = _client_dirs()
	if major not in folder:
		pytest.skip(f"no {major}.x elasticsearch client here (KM_CRM_ES_CLIENT_DIRS names none)")
	requests = _record(major, folder[major])

	searches = [b for m, p, b in requests if m == "POST" and p.split("?")[0] == f"/{ALIAS}/_search"]
	search = next(b for b in searches if b and "must" in b.get("query", {}).get("bool", {}))  # words
	assert set(search) == {"query", "size", "stored_fields", "docvalue_fields", "track_total_hits"}
	assert search["size"] == 100 and search["stored_fields"] == "_none_"
	assert {"terms": {"audience": ["Public"]}} in search["query"]["bool"]["filter"]
	near = [b for m, p, b in requests if p.split("?")[0] == f"/{ALIAS}/_search" and b and "suggest" in b]
	assert near[0]["size"] == 0 and near[0]["suggest"]["text"]["term"]["field"] == "text_t"
	assert near[0]["suggest"]["text"]["text"] == "printr"
	assert _one(requests, "POST", f"/{ALIAS}/_termvectors")["doc"]["text_t"] == "printer"
	mapping = _one(requests, "PUT", f"/{ALIAS}-000001/_mapping")
	assert mapping["_meta"] == {"km_schema": INDEX_SCHEMA} and "lead_t" in mapping["properties"]
	assert _one(requests, "POST", f"/{ALIAS}/_delete_by_query")["query"] == {
		"terms": {"article_id": ["KB-1"]}
	}
	created = _one(requests, "PUT", f"/{ALIAS}-\\d+")
	assert created["settings"]["refresh_interval"] == "-1" and created["mappings"]["dynamic"] == "strict"
	assert _one(requests, "PUT", f"/{ALIAS}-\\d+/_settings")["index"]["refresh_interval"] is None
	actions = _one(requests, "POST", "/_aliases")["actions"]
	assert actions[0] == {"remove": {"index": f"{ALIAS}-000001", "alias": ALIAS}} and "add" in actions[1]
	# the vector half: its own index, asked with the forms both clients accept
	paths = [(m, p) for m, p, _b in requests]
	assert ("GET", f"/{VECTORS}/_mapping?ignore_unavailable=true") in paths
	assert any(m in ("GET", "POST") and p.startswith(f"/{VECTORS}/_count?") for m, p in paths)
	forgotten = _one(requests, "POST", f"/{VECTORS}/_delete_by_query")
	assert forgotten["query"] == {"terms": {"article_id": ["KB-1"]}}
	scored = [b for m, p, b in requests if p.startswith(f"/{VECTORS}/_search") and b and "query" in b]
	nearest, similar = (b for b in scored if "script_score" in b["query"])
	script = nearest["query"]["script_score"]["script"]
	assert script["source"] == "cosineSimilarity(params.query_vector, 'vector') + 1.0"
	assert script["params"]["query_vector"][:2] == [1.0, 0.0] and nearest["size"] == 5
	assert nearest["sort"] == [{"_score": "desc"}, {"group": "asc"}]
	assert similar["query"]["script_score"]["query"] == {"terms": {"group": [f"{42:019d}"]}}
	leads = [b for m, p, b in requests if p.startswith(f"/{ALIAS}/_search") and b and b.get("size") == 1]
	assert {"terms": {"kind": ["lead"]}} in leads[-1]["query"]["bool"]["filter"]


def test_clients_are_built_with_each_majors_own_option_names():
	settings = {
		"es_url": "https://es.example:9200",
		"es_username": "km",
		"es_password": "pw",
		"verify_certs": 1,
	}
	seven = es_compat.client_kwargs(7, settings, timeout=0.3, retries=0)
	eight = es_compat.client_kwargs(8, settings, timeout=0.3, retries=0)
	assert seven == {
		"hosts": ["https://es.example:9200"],
		"max_retries": 0,
		"retry_on_timeout": False,
		"timeout": 0.3,
		"verify_certs": True,
		"http_auth": ("km", "pw"),
	}
	assert eight == {
		"hosts": ["https://es.example:9200"],
		"max_retries": 0,
		"retry_on_timeout": False,
		"request_timeout": 0.3,
		"verify_certs": True,
		"basic_auth": ("km", "pw"),
	}
	keyed = es_compat.client_kwargs(8, dict(settings, es_api_key="k"), timeout=30, retries=3)
	assert keyed["api_key"] == "k" and "basic_auth" not in keyed and keyed["retry_on_timeout"] is True

"""Fixtures for the search engine tests: real backends, small hand-written articles."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from km_crm.search.factory import get_backend

ES_URL = os.environ.get("KM_CRM_ES_URL")


@pytest.fixture(params=["tantivy", "elasticsearch"])
def backend(request, tmp_path):
	if request.param == "tantivy":
		b = get_backend({"backend": "tantivy", "index_path": str(tmp_path / "km_search_index")})
	else:
		if not ES_URL:
			pytest.skip("Elasticsearch contract tests need KM_CRM_ES_URL (no server configured here)")
		b = get_backend(
			{
				"backend": "elasticsearch",
				"es_url": ES_URL,
				"index_prefix": f"kmtest-{uuid.uuid4().hex[:8]}",
				"es_username": os.environ.get("KM_CRM_ES_USERNAME"),
				"es_password": os.environ.get("KM_CRM_ES_PASSWORD"),
				# the contract is what the engine answers; how fast is the benchmarks' business (a busy
				# machine compiling a script for a fresh index can pass the product's 0.3 s read timeout;
				# test_search_elastic_faults.py checks that a hanging server fails a search within a second)
				"es_read_timeout": 10,
			}
		)
	b.ensure_schema()
	yield b
	if request.param == "elasticsearch":
		b.drop()
	b.close()

"""Elasticsearch down, hung or cut off: searches fail fast (the app then falls back), writes lose
nothing once the server is back and reconcile has run."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from urllib.parse import urlparse

import pytest
from km_search_testutil import make_article
from tcp_proxy import TcpProxy

from km_crm.search.backend import SearchBackendError
from km_crm.search.factory import get_backend
from km_crm.search.service import count_articles, index_articles, reconcile, search_articles

PUBLIC = ("Public",)
ES_URL = __import__("os").environ.get("KM_CRM_ES_URL")


def _backend(url: str):
	return get_backend(
		{"backend": "elasticsearch", "es_url": url, "index_prefix": f"kmfault-{uuid.uuid4().hex[:8]}"}
	)


def _timed_failure(backend, text="printer driver") -> float:
	started = time.monotonic()
	with pytest.raises(SearchBackendError):
		search_articles(backend, text, audiences=PUBLIC)
	return time.monotonic() - started


def test_search_fails_within_a_second_when_nothing_listens():
	probe = socket.create_server(("127.0.0.1", 0))
	port = probe.getsockname()[1]
	probe.close()
	backend = _backend(f"http://127.0.0.1:{port}")
	assert _timed_failure(backend) < 1.0
	assert _timed_failure(backend) < 0.1  # paused: the next searches do not knock again at once


def test_search_fails_within_a_second_when_the_server_hangs():
	listener = socket.create_server(("127.0.0.1", 0))
	held = []

	def accept_and_say_nothing():
		while True:
			try:
				held.append(listener.accept()[0])
			except OSError:
				return

	threading.Thread(target=accept_and_say_nothing, daemon=True).start()
	try:
		backend = _backend(f"http://127.0.0.1:{listener.getsockname()[1]}")
		assert _timed_failure(backend) < 1.0
	finally:
		listener.close()
		for s in held:
			s.close()


@pytest.mark.skipif(not ES_URL, reason="needs a real Elasticsearch (KM_CRM_ES_URL)")
def test_a_bulk_cut_off_midway_loses_nothing_once_the_server_is_back_and_reconcile_ran():
	target = urlparse(ES_URL)
	proxy = TcpProxy((target.hostname, target.port or 9200))
	backend = _backend(proxy.url)
	backend.max_retries, backend.initial_backoff = 1, 0.05  # a job that gives up fast
	try:
		backend.ensure_schema()
		articles = [
			make_article(
				f"CUT-{i:04d}", f"Heron sighting {i}", f"<p>Heron report number {i}. {'Marsh. ' * 40}</p>"
			)
			for i in range(1500)
		]
		source = {a["name"]: a["modified"] for a in articles}
		proxy.cut_after_bytes = proxy.sent + 1_500_000  # part way through the writes
		with pytest.raises(SearchBackendError):
			index_articles(backend, articles)
		assert _timed_failure(backend, "heron") < 1.0  # searches meanwhile: fast failure, no hang
		proxy.resume()
		backend._reads_paused_until = 0.0  # as after the pause
		missing = set(source) - set(backend.indexed_versions())
		assert 0 < len(missing) < len(source)  # the cut really came in the middle

		plan = reconcile(backend, source, {a["name"]: a for a in articles}.get)
		assert set(plan.to_index) == missing
		assert backend.indexed_versions() == source
		assert count_articles(backend, "heron", audiences=PUBLIC) == len(source)
	finally:
		if not proxy.is_open:  # cut and not resumed: open it again to clean up
			proxy.resume()
		backend.drop()
		backend.close()
		proxy.cut()


@pytest.mark.skipif(not ES_URL, reason="needs a real Elasticsearch server (KM_CRM_ES_URL)")
def test_a_failing_vector_half_leaves_the_words_answering_and_pauses_only_itself():
	import numpy as np

	from km_crm.search import hybrid
	from km_crm.search.backend import Filters, SearchQuery
	from km_crm.search.embedding import DIM
	from km_crm.search.service import build_query

	backend = _backend(ES_URL)
	try:
		backend.ensure_schema()
		index_articles(backend, [make_article("KB-1", title="Printer driver crashes", audience="Public")])
		vector = np.ones(DIM, dtype=np.float32) / np.sqrt(DIM)
		backend.vectors().put({"KB-1": ("h1", vector)})
		store, read = backend.vectors(), backend._read
		asked = []

		def slow_vectors(call, index=None, pauses=True, **kwargs):
			if index == store.index:
				asked.append(call)
				raise SearchBackendError("the script took longer than the read timeout")
			return read(call, index=index, pauses=pauses, **kwargs)

		backend._read = slow_vectors
		query = build_query("printer driver", Filters.of(audiences=PUBLIC))
		for _ in range(2):
			hits = hybrid.retrieve(backend, SearchQuery(query.terms, query.filters, 50, vector=vector))
			assert [h.load().article_id for h in hits] == ["KB-1"]  # by its words
		assert len(asked) == 1  # the second search did not wait on the vectors again
		assert [r.article_id for r in search_articles(backend, "printer", audiences=PUBLIC)] == ["KB-1"]
	finally:
		backend._read = read
		backend.drop()
		backend.close()

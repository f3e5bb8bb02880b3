"""Before a site's search moves to Elasticsearch, its settings check that the server answers and that
the installed client is of the server's major version (the 8.x client refuses 7.x servers)."""

from __future__ import annotations

import os
import socket

import pytest

from km_crm.search import es_compat
from km_crm.search.backend import SearchBackendError
from km_crm.search.elastic_backend import client_major, server_version


def test_the_client_must_be_of_the_servers_major_version():
	assert es_compat.client_matches("7.6.0", 7) and es_compat.client_matches("8.15.2", 8)
	assert not es_compat.client_matches("7.17.9", 8) and not es_compat.client_matches("8.1.0", 7)
	assert not es_compat.client_matches("7.6.0", None)  # no client installed
	assert es_compat.client_for("7.6.0") == "elasticsearch>=7.17,<8"
	assert es_compat.client_for("8.15.2") == "elasticsearch>=8,<9"


def test_a_server_that_does_not_answer_is_an_error():
	with socket.socket() as s:  # a port nothing listens on
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	with pytest.raises(SearchBackendError, match=f"127.0.0.1:{port}"):
		server_version({"es_url": f"http://127.0.0.1:{port}"}, timeout=1.0)


@pytest.mark.skipif(not os.environ.get("KM_CRM_ES_URL"), reason="needs a server (KM_CRM_ES_URL)")
def test_the_real_server_reports_its_version_and_the_client_here_matches_it():
	version = server_version({"es_url": os.environ["KM_CRM_ES_URL"]})
	assert version.split(".")[0].isdigit()
	# scripts/run-tests installs the client of the server's major beside it
	assert es_compat.client_matches(version, client_major())

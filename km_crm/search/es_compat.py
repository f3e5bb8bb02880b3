"""What differs between the 7.x and 8.x `elasticsearch` clients, kept in one place (pure: no import
of `elasticsearch`, which stays in elastic_backend.py).

The backend talks to 7.x servers through the 7.17 client and to 8.x servers through the 8.x client
(the 8.x client refuses 7.x servers). Its API calls use forms both clients accept: body fields as
keyword arguments for `search` and `indices.create` (the 7.17 client moves them into the body), and
`body=` for the calls whose 7.17 signature has no body fields (delete_by_query, update_aliases,
put_mapping, put_settings, termvectors). What differs is only how a client is built (below) and the
class of a "bad request" error (elastic_backend.bad_request_error).
"""

from __future__ import annotations

# Reads answer a person waiting for results; a dead or hung server must not hold them up. Each read
# gets one attempt of at most READ_TIMEOUT seconds (a search makes at most three: the word check,
# the typo lookup, the search), and after a failed read the others fail at once for FAILURE_PAUSE
# seconds, so a down server costs one timeout per process and pause, never a retry loop.
READ_TIMEOUT = 0.3
FAILURE_PAUSE = 5.0
# Writes run in background jobs: patient, retried.
WRITE_TIMEOUT = 30.0
WRITE_RETRIES = 3


def client_kwargs(major: int, settings: dict, *, timeout: float, retries: int) -> dict:
	"""Keyword arguments of `elasticsearch.Elasticsearch(...)` for a client of this major version.

	settings: es_url, es_api_key or es_username/es_password, verify_certs (see factory.get_backend).
	"""
	kwargs: dict = {
		"hosts": [settings["es_url"]],
		"max_retries": retries,
		"retry_on_timeout": retries > 0,
		"request_timeout" if major >= 8 else "timeout": timeout,
	}
	if settings.get("verify_certs") is not None:
		kwargs["verify_certs"] = bool(settings["verify_certs"])
	if settings.get("es_api_key"):
		kwargs["api_key"] = settings["es_api_key"]
	elif settings.get("es_username"):
		auth = (settings["es_username"], settings.get("es_password") or "")
		kwargs["basic_auth" if major >= 8 else "http_auth"] = auth
	return kwargs


def client_for(server_version: str) -> str:
	"""The pip requirement of the client that talks to a server of this version."""
	return "elasticsearch>=7.17,<8" if server_version.split(".")[0] == "7" else "elasticsearch>=8,<9"


def client_matches(server_version: str, client_major: int | None) -> bool:
	"""Whether a client of this major talks to the server (the 8.x client refuses 7.x servers, and
	the 7.17 client speaks to 8.x servers only in a compatibility mode the backend does not use)."""
	return client_major is not None and str(client_major) == server_version.split(".")[0]

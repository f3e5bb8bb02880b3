"""The factory that builds the search backend named in a site's settings (pure: no Frappe).

Kept apart from the contract (backend.py), which both engines import: the engines import the
contract, and only this module imports the engines (lazily, so a site on one engine never loads
the other's library).
"""

from __future__ import annotations

from km_crm.search.backend import SearchBackend


def get_backend(settings: dict) -> SearchBackend:
	"""Build the backend named in settings (a plain dict built from "KM Search Settings").

	Keys: backend ("tantivy" default | "elasticsearch"), index_path (tantivy folder), es_url,
	es_username, es_password, es_api_key, index_prefix, field_weights, verify_certs.
	"""
	settings = dict(settings or {})
	kind = (settings.get("backend") or "tantivy").strip().lower()
	weights = settings.get("field_weights") or None
	if kind == "tantivy":
		from km_crm.search.tantivy_backend import TantivyBackend

		if not settings.get("index_path"):
			raise ValueError("index_path is required for the tantivy search backend")
		return TantivyBackend(settings["index_path"], field_weights=weights)
	if kind in ("elasticsearch", "elastic", "es"):
		from km_crm.search.elastic_backend import ElasticBackend

		if not settings.get("es_url"):
			raise ValueError("es_url is required for the Elasticsearch search backend")
		return ElasticBackend.from_settings(settings)
	raise ValueError(f"unknown search backend: {kind!r}")

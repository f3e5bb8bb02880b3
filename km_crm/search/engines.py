"""The search backends of the current site, built from KM Search Settings (one per process and settings).

Two indexes: "articles" (live knowledge) and "tickets" (resolved tickets, for similar tickets).
Under tests (km_crm.testing.RUN) both live in a throwaway folder / Elasticsearch prefix of the
test process, so tests never write into the site's live index.
"""

import hashlib
import json

import frappe

from km_crm import testing
from km_crm.search.backend import SearchBackend
from km_crm.search.factory import get_backend

ARTICLES = "articles"
TICKETS = "tickets"
_FOLDERS = {ARTICLES: "km_search_index", TICKETS: "km_ticket_index"}
_backends: dict[str, SearchBackend] = {}


def settings_dict(index: str = ARTICLES) -> dict:
	settings = frappe.get_cached_doc("KM Search Settings")
	weights = {
		"title": settings.get("title_weight"),
		"heading": settings.get("heading_weight"),
		"lead": settings.get("lead_weight"),
		"text": settings.get("text_weight"),
	}
	prefix = (settings.index_prefix or frappe.local.site).replace(".", "_").lower()
	if index == TICKETS:
		prefix += "-tickets"
	folder = frappe.get_site_path("private", _FOLDERS[index])
	if testing.RUN:
		folder, prefix = testing.RUN.throwaway_index(_FOLDERS[index], prefix)
	return {
		"backend": settings.backend or "tantivy",
		"index_path": folder,
		"es_url": settings.es_url,
		"es_username": settings.es_username,
		"es_password": settings.get_password("es_password", raise_exception=False)
		if settings.es_password
		else None,
		"es_api_key": settings.get_password("es_api_key", raise_exception=False)
		if settings.es_api_key
		else None,
		"index_prefix": prefix,
		"verify_certs": bool(settings.verify_certs),
		# unset (None) falls back to the engine default; 0 switches a field off
		"field_weights": {k: float(v) for k, v in weights.items() if v is not None},
	}


def backend(index: str = ARTICLES) -> SearchBackend:
	config = settings_dict(index)
	digest = hashlib.sha1(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()
	scope = f"{frappe.local.site}:{index}:"
	key = scope + digest
	if key not in _backends:
		for old in [k for k in _backends if k.startswith(scope)]:
			_backends.pop(old).close()
		engine = get_backend(config)
		if not getattr(frappe.local, "request", None):
			# writers (jobs, commands, tests) create the index; a web request only reads, and must not
			# wait on an engine that is away (Elasticsearch: searches fail fast and fall back)
			engine.ensure_schema()
		_backends[key] = engine
		if testing.RUN:
			testing.RUN.made(engine)
	return _backends[key]


def ticket_backend() -> SearchBackend:
	return backend(TICKETS)


def synonyms() -> list[list[str]]:
	def load():
		from km_crm.knowledge import article_shape

		return [
			article_shape.normalize_tags(t)
			for t in frappe.get_all("KM Synonym", filters={"enabled": 1}, pluck="terms")
		]

	return frappe.cache.get_value("km_crm:synonyms", load)


def clear_synonym_cache(doc=None, method=None) -> None:
	frappe.cache.delete_value("km_crm:synonyms")

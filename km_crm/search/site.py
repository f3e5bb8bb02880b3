"""The search backend of the current site, built from KM Search Settings (one per process and settings)."""

import hashlib
import json

import frappe

from km_crm.search.backend import SearchBackend, get_backend

_backends: dict[str, SearchBackend] = {}


def settings_dict() -> dict:
	settings = frappe.get_cached_doc("KM Search Settings")
	weights = {
		"title": settings.get("title_weight"),
		"heading": settings.get("heading_weight"),
		"lead": settings.get("lead_weight"),
		"text": settings.get("text_weight"),
	}
	return {
		"backend": settings.backend or "tantivy",
		"index_path": frappe.get_site_path("private", "km_search_index"),
		"es_url": settings.es_url,
		"es_username": settings.es_username,
		"es_password": settings.get_password("es_password", raise_exception=False)
		if settings.es_password
		else None,
		"es_api_key": settings.get_password("es_api_key", raise_exception=False)
		if settings.es_api_key
		else None,
		"index_prefix": (settings.index_prefix or frappe.local.site).replace(".", "_").lower(),
		"verify_certs": bool(settings.verify_certs),
		# unset (None) falls back to the engine default; 0 switches a field off
		"field_weights": {k: float(v) for k, v in weights.items() if v is not None},
	}


def backend() -> SearchBackend:
	config = settings_dict()
	key = f"{frappe.local.site}:{hashlib.sha1(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()}"
	if key not in _backends:
		for old in [k for k in _backends if k.startswith(f"{frappe.local.site}:")]:
			_backends.pop(old).close()
		engine = get_backend(config)
		engine.ensure_schema()
		_backends[key] = engine
	return _backends[key]


def synonyms() -> list[list[str]]:
	def load():
		from km_crm.knowledge import kcs

		return [
			kcs.normalize_tags(t) for t in frappe.get_all("KM Synonym", filters={"enabled": 1}, pluck="terms")
		]

	return frappe.cache.get_value("km_crm:synonyms", load)


def clear_synonym_cache(doc=None, method=None) -> None:
	frappe.cache.delete_value("km_crm:synonyms")

"""The OpenAPI document: made from the code (it cannot drift), valid OpenAPI 3.1 by a maintained
validator, and saying what integrators need (guests, methods, parameters, limits)."""

from __future__ import annotations

import json

import pytest

from km_crm.api.openapi_spec import DOCUMENT, build, render


def test_the_committed_document_is_the_one_the_code_makes():
	assert DOCUMENT.read_text(encoding="utf-8") == render(build()), (
		"run scripts/openapi and commit the result"
	)


def test_the_document_is_valid_openapi_3_1():
	validator = pytest.importorskip("openapi_spec_validator", reason="a test extra: pip install -e '.[test]'")
	document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
	assert document["openapi"].startswith("3.1")
	validator.validate(document)


def test_the_assistants_endpoint_is_documented_for_guests_with_its_parameters_and_limit():
	path = build()["paths"]["/api/method/km_crm.api.assistant.passages"]
	assert set(path) == {"get", "post"}
	get = path["get"]
	params = {p["name"]: p for p in get["parameters"]}
	assert params["question"]["required"] and params["question"]["schema"] == {"type": "string"}
	assert params["limit"]["schema"] == {"type": "integer", "default": 5}
	assert params["lang"]["schema"] == {"type": ["string", "null"]}
	assert {} in get["security"] and {"token": []} in get["security"]  # guests, or a key and secret
	assert "429" in get["responses"] and get["x-rate-limited"]
	assert "citation URL" in get["description"]


def test_post_only_actions_have_no_get_and_take_a_body_signed_in_only():
	path = build()["paths"]["/api/method/km_crm.api.tickets.link"]
	assert set(path) == {"post"}
	body = path["post"]["requestBody"]["content"]["application/json"]["schema"]
	assert body["required"] == ["ticket_doctype", "ticket", "article"]
	assert body["properties"]["link_type"]["default"] == "Solved"  # a default named in constants.py
	assert {} not in path["post"]["security"]


def test_every_api_module_with_endpoints_is_a_tag_and_tests_are_not_endpoints():
	document = build()
	tags = {t["name"] for t in document["tags"]}
	assert {"search", "assistant", "tickets", "feedback", "deflection", "experts", "files", "openapi"} <= tags
	assert not [p for p in document["paths"] if ".test_" in p]

"""The OpenAPI document against the running site: every km_crm.api method Frappe whitelists is in it,
with the HTTP methods and guest access Frappe enforces, and the site serves it at a stable URL."""

import importlib
import json
from pathlib import Path

import frappe

from km_crm.api import openapi
from km_crm.api.openapi_spec import DOCUMENT, DOCUMENTED_METHODS
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user


class TestOpenAPIInSite(KMTestCase):
	def test_the_document_matches_what_frappe_whitelists(self):
		for path in Path(frappe.get_app_path("km_crm", "api")).glob("*.py"):
			if not path.name.startswith("test_"):
				importlib.import_module(f"km_crm.api.{path.stem}")
		served = {}
		for fn in frappe.whitelisted:
			if (fn.__module__ or "").startswith("km_crm.api.") and ".test_" not in fn.__module__:
				methods = frappe.allowed_http_methods_for_whitelisted_func.get(fn, [])
				served[f"/api/method/{fn.__module__}.{fn.__name__}"] = (
					{m.lower() for m in methods if m in DOCUMENTED_METHODS},
					fn in frappe.guest_methods,
				)
		document = json.loads(DOCUMENT.read_text(encoding="utf-8"))["paths"]
		self.assertEqual(set(document), set(served))
		for path, (methods, guest) in served.items():
			self.assertEqual(set(document[path]), methods, path)
			for operation in document[path].values():
				self.assertEqual({} in operation["security"], guest, path)

	def test_a_guest_reads_the_document_at_its_url(self):
		frappe.local.response = frappe._dict()
		with as_user("Guest"):
			openapi.spec()
		self.assertEqual(frappe.local.response.display_content_as, "inline")
		self.assertEqual(json.loads(frappe.local.response.filecontent)["openapi"], "3.1.0")

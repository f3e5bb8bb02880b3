"""The OpenAPI 3.1 document of km_crm's endpoints, served at a stable URL
(/api/method/km_crm.api.openapi.spec). Made from the code by scripts/openapi (openapi_spec.py)."""

import frappe

from km_crm.api.openapi_spec import DOCUMENT


@frappe.whitelist(allow_guest=True, methods=["GET"])
def spec() -> dict:
	"""The OpenAPI 3.1 document of this API, as JSON (not wrapped in "message")."""
	frappe.local.response.update(
		{
			"type": "download",
			"filename": "openapi.json",
			"filecontent": DOCUMENT.read_bytes(),
			"display_content_as": "inline",
		}
	)

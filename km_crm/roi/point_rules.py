"""The Energy Point Rules km_crm ships (Frappe's own energy points): reuse by others is rewarded,
never self-reuse. Install and migrate add the rules a site lacks and leave the ones it has as they
are, so an administrator's points, conditions and switched-off rules stay (a fixture would be
imported again, overwriting them, on every migrate)."""

import frappe

from km_crm import constants as C

BY_ANOTHER_AGENT = "doc.linked_by != doc.article_owner"

RULES = (
	{
		"rule_name": C.RULE_PUBLISHED_REUSED,
		"reference_doctype": "KM Article Link",
		"for_doc_event": "Custom",
		"condition": f"doc.first_reuse == 1 and {BY_ANOTHER_AGENT}",
		"points": 10,
		"user_field": "article_owner",
		"apply_only_once": 1,
	},
	{
		"rule_name": C.RULE_REUSED,
		"reference_doctype": "KM Article Link",
		"for_doc_event": "Custom",
		"condition": f'doc.link_type in ("Solved", "Referenced") and {BY_ANOTHER_AGENT}',
		"points": 3,
		"user_field": "article_owner",
		"apply_only_once": 1,
	},
	{
		"rule_name": C.RULE_DEFLECTED,
		"reference_doctype": "KM Deflection Session",
		"for_doc_event": "Custom",
		"condition": 'doc.outcome == "Deflected" and doc.is_final == 1 and doc.user != doc.article_owner',
		"points": 5,
		"user_field": "article_owner",
		"apply_only_once": 1,
	},
	{
		"rule_name": C.RULE_HELPFUL,
		"reference_doctype": "KM Article Feedback",
		"for_doc_event": "Custom",
		"condition": "doc.helpful == 1 and doc.user != doc.article_owner",
		"points": 1,
		"user_field": "article_owner",
		"apply_only_once": 1,
	},
	{
		"rule_name": C.RULE_VOTE,
		"reference_doctype": "KM Review Vote",
		"for_doc_event": "New",
		"condition": None,
		"points": 2,
		"user_field": "voter",
		"apply_only_once": 0,
	},
)


def default(name: str) -> dict:
	return next(r for r in RULES if r["rule_name"] == name)


def ensure_rules() -> list[str]:
	"""Add the shipped rules this site lacks (enabled); those it has stay as they are. Their names."""
	added = []
	for rule in RULES:
		if frappe.db.exists("Energy Point Rule", rule["rule_name"]):
			continue
		frappe.get_doc({"doctype": "Energy Point Rule", "enabled": 1, **rule}).insert(ignore_permissions=True)
		added.append(rule["rule_name"])
	return added

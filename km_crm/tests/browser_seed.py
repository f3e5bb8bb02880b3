"""What the portal browser check (scripts/portal-check) needs on the test site: the demo's public
article in English and Chinese, an internal article, and the demo customer who signs in to the portal.

	bench --site SITE execute km_crm.tests.browser_seed.seed

The demo must be loaded (scripts/run-tests loads it). Seeds the hostile records of the XSS check
(km_crm.tests.hostile_content), whose public article the customer's ticket form must show as text.
Rebuilds the site's search index so the
served site finds the demo articles, makes the search vectors the jobs would make (search by meaning),
and prints what the check needs as JSON.
"""

import json

import frappe

from km_crm import constants as C
from km_crm.demo.content import ARTICLES
from km_crm.demo.loader import DEMO_PASSWORD
from km_crm.demo.tickets import PORTAL_USER
from km_crm.search import indexer, semantic
from km_crm.tests import hostile_content

TWO_FACTOR = "Two-factor authentication keeps asking for the code"  # the demo's, English only
TWO_FACTOR_QUESTION = "登录时输入验证码后，页面一直要求重新输入验证码"


def seed() -> dict:
	frappe.set_user("Administrator")

	def live(audience: str, language: str) -> dict:
		for spec in ARTICLES:
			if (spec["audience"], spec["language"]) != (audience, language) or not spec["state"].startswith(
				C.PUBLISHED
			):
				continue
			name = frappe.db.get_value("KM Article", {"title": spec["title"], "status": C.PUBLISHED}, "name")
			if name:
				return {"name": name, "title": spec["title"], "tags": spec.get("tags", "")}
		raise SystemExit(f"no published {audience} {language} demo article: load the demo first")

	hostile = hostile_content.seed()  # idempotent; its article is public and live
	indexer.rebuild()  # the served site searches its own index: exactly the live articles, as they are now
	semantic.embed_articles()  # what the background jobs do on a site with a worker (only what is new)
	frappe.db.commit()
	answer = {
		"public_en": live(C.PUBLIC, "en"),
		"public_zh": live(C.PUBLIC, "zh"),
		"internal": live(C.INTERNAL, "en"),
		"customer": {"user": PORTAL_USER, "password": DEMO_PASSWORD},
		"helpdesk": "helpdesk" in frappe.get_installed_apps(),
		"hostile": {"mark": hostile["mark"], "visible": hostile["visible"]},
		# an English article with no Chinese version, which a Chinese question finds by its meaning
		"semantic": semantic.enabled(),
		"english_only": {"title": TWO_FACTOR, "question": TWO_FACTOR_QUESTION},
	}
	print(json.dumps(answer, ensure_ascii=False))
	return answer

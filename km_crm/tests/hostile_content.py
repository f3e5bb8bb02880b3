"""Records full of script payloads, for the browser check (scripts/xss-check) on the test site.

	bench --site SITE execute km_crm.tests.hostile_content.seed

Idempotent: creates what is missing and prints the routes to visit as JSON. Every payload would set
`window.__kmXss` if it ran; the browser check fails when it is set on any page, and when the typed
text (kept as text) is missing from the page.
"""

import json

import frappe

from km_crm import constants as C
from km_crm.search import site_search
from km_crm.tests.factories import GovernanceFixture, as_user, make_issue

MARK = "kmxss"
RUN = "window.__kmXss=(window.__kmXss||0)+1"
PAYLOADS = (
	f'<img src=x onerror="{RUN}">',
	f"<script>{RUN}</script>",
	f'"><svg onload="{RUN}">',
	f'<a href="javascript:{RUN}">link</a>',
	f'<math><style><img src=x onerror="{RUN}">',
)
TITLE = f"Printer {MARK} jams <b>bold</b> " + PAYLOADS[0]
VISIBLE = "<b>bold</b>"  # typed text that must show as text


def seed() -> dict:
	frappe.set_user("Administrator")
	previous, frappe.flags.in_test = frappe.flags.in_test, True  # a throwaway index, like the tests
	try:
		routes = _seed()
	finally:
		frappe.flags.in_test = previous
	frappe.db.commit()
	print(json.dumps(routes))
	return routes


def _seed() -> dict:
	article = frappe.db.get_value("KM Article", {"title": ("like", f"%{MARK}%")}, "name")
	if not article:
		f = GovernanceFixture()
		hostile = " ".join(PAYLOADS)
		article = f.published(
			audience=C.PUBLIC,
			title=TITLE,
			summary=f"Summary {hostile}",
			tags=f"{MARK}, <i>tag</i>",
			issue=f"<p>Issue {hostile}</p>",
			resolution=f"<p>Resolution {hostile}</p>",
		)
		with as_user(f.author):
			doc = frappe.get_doc("KM Article", article)
			doc.resolution = f"<p>Next version {hostile}</p>"
			doc.save()
		from km_crm.governance import actions

		with as_user(f.author):
			review = actions.submit_for_review(article, f"Note {hostile}")
		f.vote(f.members[0], review, "Request Changes", f"Comment {hostile}")
	if not frappe.db.exists("KM Article Feedback", {"comment": ("like", f"%{MARK}%")}):
		from km_crm.knowledge import article_feedback

		article_feedback.submit(article, False, "Unclear", f"{MARK} {' '.join(PAYLOADS)}")
	issue = (
		frappe.db.get_value("Issue", {"subject": ("like", f"%{MARK}%")}, "name")
		or make_issue(TITLE, PAYLOADS[1]).name
	)
	site_search.log_search(f"{MARK} {PAYLOADS[0]}", "Portal", None, [])
	from frappe.deferred_insert import save_to_db

	save_to_db()
	version = frappe.db.get_value("KM Article", article, "published_version")
	review = frappe.db.get_value("KM Review", {"article": article}, "name")
	return {
		"mark": MARK,
		"visible": VISIBLE,
		"routes": [
			"/app/km-article",
			"/app/km-article/view/report",
			f"/app/km-article/{article}",
			f"/app/km-article-version/{version}",
			f"/app/km-review/{review}",
			"/app/km-review-vote",
			"/app/km-audit-event",
			"/app/km-search-log",
			"/app/km-article-feedback",
			"/app/query-report/Knowledge Gaps",
			f"/app/knowledge-search?q={MARK}",
			f"/app/issue/{issue}",
		],
	}

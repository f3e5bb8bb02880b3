"""What the committee reviewer's browser journey (scripts/journeys/reviewer.py) needs on the test site:
a Customer article of the demo with a live version 1 and a version 2 in review on the demo's
committee, its resolution changed, its other sections as they were.

	bench --site SITE execute km_crm.tests.journey_seed_review.seed

The demo must be loaded. Running it again reuses the article and its open round (a round that has
expired or closed is withdrawn and submitted again). Prints what the journey needs as JSON.
"""

import json

import frappe

from km_crm import constants as C
from km_crm.demo.content import COMMITTEE
from km_crm.demo.loader import AUTHOR, DEMO_PASSWORD, VOTERS
from km_crm.governance import actions

TITLE = "Label printer skips every other label"
CATEGORY = "Account and Login"
ISSUE = "<p>The label printer feeds two labels for every one it prints.</p>"
ENVIRONMENT = "<p>Thermal label printer on the warehouse packing station.</p>"
CAUSE = "<p>The label gap sensor was calibrated for a different label size.</p>"
RESOLUTION_V1 = "<p>Run the printer's media calibration from its front panel.</p>"
ADDED = "Then print a test page to confirm the gap is detected."
RESOLUTION_V2 = f"<p>Run the printer's media calibration from its front panel. {ADDED}</p>"


def seed() -> dict:
	name = frappe.db.get_value("KM Article", {"title": TITLE}, "name") or _live_v1()
	review = _v2_in_review(name)
	frappe.db.commit()
	article = frappe.get_doc("KM Article", name)
	answer = {
		"article": name,
		"title": TITLE,
		"review": review,
		"live_version": article.published_version,
		"version": article.version,
		"added": ADDED,
		"unchanged": "label gap sensor",
		"committee": COMMITTEE["committee_name"],
		"author": {"user": AUTHOR, "password": DEMO_PASSWORD},
		"member": {"user": VOTERS[0], "password": DEMO_PASSWORD},
	}
	print(json.dumps(answer, ensure_ascii=False))
	return answer


def _live_v1() -> str:
	frappe.set_user(AUTHOR)
	doc = frappe.get_doc(
		{
			"doctype": "KM Article",
			"title": TITLE,
			"language": "en",
			"audience": C.CUSTOMER,
			"category": CATEGORY,
			"issue": ISSUE,
			"environment": ENVIRONMENT,
			"resolution": RESOLUTION_V1,
			"cause": CAUSE,
			"tags": "printer, labels",
			"article_owner": AUTHOR,
		}
	).insert()
	review = actions.submit_for_review(doc.name, "First version.")
	for voter in VOTERS:
		frappe.set_user(voter)
		if frappe.db.get_value("KM Review", review, "status") == C.REVIEW_OPEN:
			actions.cast_vote(review, "Approve", "Clear and correct.")
	frappe.set_user("Administrator")
	return doc.name


def _v2_in_review(name: str) -> str:
	frappe.set_user(AUTHOR)
	article = frappe.get_doc("KM Article", name)
	if article.current_review:
		if frappe.db.get_value("KM Review", article.current_review, "status") == C.REVIEW_OPEN:
			frappe.set_user("Administrator")
			return article.current_review
		actions.withdraw(name)
		article.reload()
	if article.resolution != RESOLUTION_V2 or article.status in C.LIVE_WORKING_COPY_STATUSES:
		article.resolution = RESOLUTION_V2
		article.save()
	review = actions.submit_for_review(name, "Adds the test page step.")
	frappe.set_user("Administrator")
	return review

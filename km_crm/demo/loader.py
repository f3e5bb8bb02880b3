"""Demo loader: `bench --site SITE execute km_crm.demo.loader.load`.

Creates demo users, categories, a knowledge committee and a dozen English and Chinese articles in
several states, by walking each article through the real governance actions (submit, votes,
publish, retire); then customers, a support agent and tickets, open and resolved, with the articles
that solved them (tickets.py). Running it again adds nothing twice.
"""

from datetime import datetime, timedelta

import frappe
from frappe.utils import escape_html, now_datetime
from frappe.utils.pdf import get_pdf

from km_crm.demo import clock, site, teams, tickets
from km_crm.demo.content import ARTICLES, CATEGORIES, COMMITTEE, USERS
from km_crm.demo.users import ensure_user
from km_crm.gaps import ticket_gaps
from km_crm.governance import actions
from km_crm.knowledge import review_due
from km_crm.knowledge.doctype.km_category.km_category import ROOT_CATEGORY
from km_crm.search import semantic
from km_crm.setup.install import ensure_roots

DEMO_PASSWORD = "km-demo-2026"
AUTHOR = "km.author@example.com"
PUBLISHER = "km.publisher@example.com"
VOTERS = ("km.chair@example.com", "km.reviewer1@example.com")


def load() -> dict:
	ensure_roots()
	# recognition shows in the demo: km_crm's Energy Point Rules need Frappe's energy points switched on
	frappe.db.set_single_value("Energy Point Settings", "enabled", 1)
	_users()
	_categories()
	site.configure()
	_committee()
	created = {}
	keys = {}
	for spec in ARTICLES:
		name = frappe.db.get_value("KM Article", {"title": spec["title"]}, "name")
		if not name:
			name = _article(spec, keys)
			created[spec["key"]] = name
		keys[spec["key"]] = name
	frappe.set_user("Administrator")
	tickets_created = tickets.load(keys, DEMO_PASSWORD)
	frappe.db.commit()
	# the articles' vectors first (same queue, in order), then the weekly look for gaps in the tickets
	semantic.enqueue(semantic.ARTICLES_JOB, after_commit=False)
	ticket_gaps.enqueue()
	print(f"km_crm demo: {len(created)} articles created, {len(ARTICLES) - len(created)} already there.")
	print(f"km_crm demo: {tickets_created} tickets created.")
	users = [u for u, _n, _r in USERS] + [u for u, *_rest in tickets.AGENTS]
	users += [u for u, *_rest in teams.SPECIALISTS]
	print(f"Demo users log in with password {DEMO_PASSWORD!r}: " + ", ".join(users))
	print(f"Customer portal user: {tickets.PORTAL_USER} (same password)")
	return created


def _users():
	for email, full_name, roles in USERS:
		ensure_user(email, full_name, roles, DEMO_PASSWORD)


def _categories():
	for name, parent in CATEGORIES:
		if not frappe.db.exists("KM Category", name):
			frappe.get_doc(
				{
					"doctype": "KM Category",
					"category_name": name,
					"parent_km_category": parent or ROOT_CATEGORY,
					"is_group": 1 if parent is None else 0,
				}
			).insert(ignore_permissions=True)


def _committee():
	if not frappe.db.exists("KM Committee", COMMITTEE["committee_name"]):
		frappe.get_doc({"doctype": "KM Committee", **COMMITTEE}).insert(ignore_permissions=True)


#: when each article's draft began (days ago, at 09:00), and the hours from its submission to the
#: first vote and to the deciding one (or, published directly, from the draft to publication): a
#: history with the gaps of a real one. The articles that solve the demo's older tickets were live
#: before those tickets; translations and newer articles went live in the last weeks.
TIMELINE = {
	"reset-password": (130, (3, 7)),
	"invoice-tax": (125, (20, 28)),
	"old-print-format": (110, (6, 22)),
	"pos-closing": (45, (26, 50)),
	"receipt-printer": (30, (4, 9)),
	"reset-password-zh": (26, (20, 46)),
	"invoice-tax-zh": (19, (2, 4)),
	"negative-stock": (13, (5, 5)),
	"2fa-loop": (8, (9, 27)),
	"sla-partners": (4, None),
	"negative-stock-zh": (3, None),
	"email-issues": (2, None),
	"email-issues-zh": (1, None),
}
SUBMITTED_AFTER_HOURS = 2
RETIRED_AFTER_DAYS = 60


def _moments(key: str) -> tuple[datetime, tuple[int, int] | None]:
	days, votes = TIMELINE.get(key, (0, None))
	if not days:
		return now_datetime(), votes
	day = now_datetime().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=days)
	return day, votes


def _article(spec: dict, keys: dict) -> str:
	drafted, votes = _moments(spec["key"])
	hours = lambda h: drafted + timedelta(hours=h)  # noqa: E731
	frappe.set_user(AUTHOR)
	fields = {
		k: spec.get(k)
		for k in (
			"title",
			"language",
			"audience",
			"category",
			"issue",
			"environment",
			"resolution",
			"cause",
			"tags",
		)
	}
	doc = frappe.get_doc({"doctype": "KM Article", **fields, "article_owner": AUTHOR})
	if spec.get("translation_of"):
		doc.translation_of = keys.get(spec["translation_of"])
	with clock.at(drafted):
		doc.insert()
		for manual in spec.get("files") or ():
			_attach_manual(doc.name, manual)
	state = spec["state"]
	if state == "Draft":
		return doc.name
	if state == "Published direct":
		frappe.set_user(PUBLISHER)
		with clock.at(hours(votes[1] if votes else 0)):
			actions.publish_directly(doc.name)
		return doc.name

	submitted = hours(SUBMITTED_AFTER_HOURS)
	with clock.at(submitted):
		review = actions.submit_for_review(doc.name, "Ready for review.")
	if state == "In Review":
		return doc.name
	first, deciding = votes or (0, 0)
	_approve(review, submitted + timedelta(hours=first), submitted + timedelta(hours=deciding))
	if state == "Needs Review":
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"KM Article", doc.name, "review_by", frappe.utils.add_days(frappe.utils.today(), -1)
		)
		review_due.flag_article(doc.name)
	elif state == "Archived":
		frappe.set_user(AUTHOR)
		asked = submitted + timedelta(days=RETIRED_AFTER_DAYS)
		with clock.at(asked):
			retirement = actions.request_retirement(doc.name, "Replaced by the standard print format.")
		_approve(retirement, asked + timedelta(hours=first), asked + timedelta(hours=deciding))
	elif state == "Published with draft":
		frappe.set_user(AUTHOR)
		with clock.at(now_datetime() - timedelta(days=1)):
			live = frappe.get_doc("KM Article", doc.name)
			live.resolution = spec["draft_change"]
			live.save()
	return doc.name


def _attach_manual(article: str, manual: dict) -> None:
	"""A PDF manual made with Frappe's PDF maker (one page per section), attached to the article."""
	html = "".join(
		f'<div style="page-break-after: always"><h1>{escape_html(heading)}</h1><p>{escape_html(text)}</p></div>'
		for heading, text in manual["pages"]
	)
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": manual["file_name"],
			"content": get_pdf(html),
			"is_private": 1,
			"attached_to_doctype": "KM Article",
			"attached_to_name": article,
		}
	).insert()


def _approve(review: str, *moments: datetime):
	"""The committee's approving votes, cast at `moments` (the last one decides)."""
	for voter, moment in zip(VOTERS, moments, strict=True):
		frappe.set_user(voter)
		if frappe.db.get_value("KM Review", review, "status") == "Open":
			with clock.at(moment):
				actions.cast_vote(review, "Approve", "Clear and correct.")
	frappe.set_user(AUTHOR)

"""Factories for Frappe integration tests: users with roles, committees, articles, review rounds."""

import contextlib

import frappe

from km_crm.governance import review_round

SECTIONS = {
	"issue": "<p>The printer prints blank pages.</p>",
	"environment": "<p>Office printers on the second floor.</p>",
	"resolution": "<p>Replace the toner cartridge and print a test page.</p>",
	"cause": "<p>The toner ran out.</p>",
}


def unique(prefix: str) -> str:
	return f"{prefix}-{frappe.generate_hash(length=8)}"


def make_user(prefix: str, *roles: str) -> str:
	"""A desk user with these roles. Users are reused by name: Frappe throttles creating many users."""
	email = f"km-test-{prefix}@example.com"
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": prefix,
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		).insert(ignore_permissions=True)
	if roles:
		user.add_roles(*roles)
	return email


@contextlib.contextmanager
def as_user(user: str):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


def make_category(parent: str | None = None) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "KM Category",
			"category_name": unique("Cat"),
			"parent_km_category": parent,
			"is_group": 1,
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_committee(
	members: list[str],
	*,
	category: str,
	min_approvals: int = 2,
	percent: float = 0,
	direct_internal: bool = True,
	escalation_user: str | None = None,
	window_days: int = 7,
):
	audiences = [
		{"audience": "Internal", "requires_approval": 0 if direct_internal else 1},
		{"audience": "Customer", "requires_approval": 1},
		{"audience": "Partner", "requires_approval": 1},
		{"audience": "Public", "requires_approval": 1},
	]
	return frappe.get_doc(
		{
			"doctype": "KM Committee",
			"committee_name": unique("Committee"),
			"members": [{"user": u, "member_role": "Reviewer"} for u in members],
			"categories": [{"category": category}],
			"audiences": audiences,
			"min_approvals": min_approvals,
			"approval_percent": percent,
			"review_window_days": window_days,
			"escalation_user": escalation_user,
		}
	).insert(ignore_permissions=True)


def make_article(owner: str, *, category: str, audience: str = "Customer", **fields):
	with as_user(owner):
		doc = frappe.get_doc(
			{
				"doctype": "KM Article",
				"title": fields.pop("title", unique("Printer prints blank pages")),
				"language": fields.pop("language", "en"),
				"audience": audience,
				"category": category,
				"article_owner": owner,
				**SECTIONS,
				**fields,
			}
		).insert()
	return doc


class GovernanceFixture:
	"""A category, a three-member committee (2 approvals needed), an author and outsiders."""

	def __init__(self, *, min_approvals: int = 2, percent: float = 0, members: int = 3):
		self.category = make_category()
		self.author = make_user("author", "KM Contributor")
		self.candidate = make_user("candidate", "KM Candidate")
		self.publisher = make_user("publisher", "KM Publisher")
		self.outsider = make_user("outsider", "KM Contributor")
		self.escalation = make_user("escalation", "KM Manager")
		self.members = [make_user(f"member{i}", "KM Committee Member") for i in range(members)]
		self.committee = make_committee(
			self.members,
			category=self.category,
			min_approvals=min_approvals,
			percent=percent,
			escalation_user=self.escalation,
		)

	def article(self, **kw):
		return make_article(kw.pop("owner", self.author), category=self.category, **kw)

	def submitted(self, **kw):
		article = self.article(**kw)
		with as_user(article.article_owner):
			review = review_round.submit_for_review(article.name, "please review")
		return article.name, review

	def vote(self, member: str, review: str, decision: str = "Approve", comment: str = "looks right"):
		with as_user(member):
			return review_round.cast_vote(review, decision, comment)

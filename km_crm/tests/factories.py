"""Factories for Frappe integration tests: users with roles, committees, articles, review rounds."""

import contextlib

import frappe

from km_crm.governance import actions

SECTIONS = {
	"issue": "<p>The printer prints blank pages.</p>",
	"environment": "<p>Office printers on the second floor.</p>",
	"resolution": "<p>Replace the toner cartridge and print a test page.</p>",
	"cause": "<p>The toner ran out.</p>",
}


def unique(prefix: str) -> str:
	return f"{prefix}-{frappe.generate_hash(length=8)}"


def make_user(prefix: str, *roles: str, website: bool = False) -> str:
	"""A desk user (or, with `website`, a portal user) with these roles. Users are reused by name:
	Frappe throttles creating many users."""
	email = f"km-test-{prefix}@{'customer.' if website else ''}example.com"
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": prefix,
				"send_welcome_email": 0,
				"user_type": "Website User" if website else "System User",
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
			review = actions.submit_for_review(article.name, "please review")
		return article.name, review

	def edit(self, article: str, **values):
		"""The author saves the article with these values (a live one gets its next version drafted)."""
		with as_user(self.author):
			doc = frappe.get_doc("KM Article", article)
			doc.update(values)
			doc.save()
		return doc

	def published(self, **fields) -> str:
		"""An article of the author, approved by two committee members: live."""
		article, review = self.submitted(**fields)
		self.vote(self.members[0], review)
		self.vote(self.members[1], review)
		return article

	def vote(self, member: str, review: str, decision: str = "Approve", comment: str = "looks right"):
		with as_user(member):
			return actions.cast_vote(review, decision, comment)


def make_portal_user(prefix: str, *roles: str) -> str:
	"""A website (portal) user, e.g. a customer's contact with the Customer role."""
	return make_user(prefix, *roles, website=True)


def make_customer(
	name: str, contact_email: str, first: str = "Maria", last: str = "Lopez", phone: str = "+1 415 555 0134"
):
	"""An ERPNext Customer with a contact; returns (customer, contact)."""
	if not frappe.db.exists("Customer", name):
		frappe.get_doc({"doctype": "Customer", "customer_name": name, "customer_type": "Company"}).insert(
			ignore_permissions=True
		)
	contact = frappe.db.get_value("Contact", {"email_id": contact_email})
	if not contact:
		contact = (
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": first,
					"last_name": last,
					"email_ids": [{"email_id": contact_email, "is_primary": 1}],
					"phone_nos": [{"phone": phone, "is_primary_phone": 1}],
					"links": [{"link_doctype": "Customer", "link_name": name}],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return name, contact


def make_issue(
	subject: str,
	description: str = "",
	*,
	customer: str | None = None,
	contact: str | None = None,
	raised_by: str | None = None,
	status: str = "Open",
	resolution: str | None = None,
	**fields,
):
	doc = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject,
			"description": description,
			"customer": customer,
			"contact": contact,
			"raised_by": raised_by,
			**fields,
		}
	).insert(ignore_permissions=True)
	if resolution or status != "Open":
		doc.resolution_details = resolution
		doc.status = status
		doc.save(ignore_permissions=True)
	return doc


def override_settings(test, doctype: str, **values) -> None:
	"""Set fields of a settings doctype for one test; the old values (and the cache) come back after it."""
	doc = frappe.get_single(doctype)
	old = {field: doc.get(field) for field in values}

	def restore():
		frappe.db.set_single_value(doctype, old)
		frappe.clear_document_cache(doctype, doctype)

	frappe.db.set_single_value(doctype, values)
	frappe.clear_document_cache(doctype, doctype)
	test.addCleanup(restore)


def write_search_logs() -> None:
	"""What the scheduler does with queued search logs (frappe.deferred_insert.save_to_db), without
	its commit: a test's records must roll back with the test."""
	from unittest.mock import patch

	from frappe.deferred_insert import save_to_db

	with patch.object(frappe.db, "commit"):
		save_to_db()


def word() -> str:
	"""A random lowercase word that no other article holds: makes a test's searches its own."""
	import random
	import string

	return "".join(random.choices(string.ascii_lowercase, k=10))


PARTNER_ROLE = "KM Test Channel Partner"


def use_partner_role(test) -> str:
	"""Make PARTNER_ROLE the partner role (KM Settings) for one test."""
	if not frappe.db.exists("Role", PARTNER_ROLE):
		frappe.get_doc({"doctype": "Role", "role_name": PARTNER_ROLE, "desk_access": 0}).insert()
	override_settings(test, "KM Settings", partner_role=PARTNER_ROLE)
	return PARTNER_ROLE


def make_employee(user: str | None = None, department: str | None = None) -> str:
	"""An active Employee of the first Company (for the user, when given)."""
	company = frappe.db.get_value("Company", {}, "name")
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": unique("Employee"),
				"gender": frappe.db.get_value("Gender", {}, "name"),
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"company": company,
				"department": department,
				"user_id": user,
				"status": "Active",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_department_team(*members: str) -> str:
	"""An ERPNext Department whose Employees are these users: a team km_crm reports filter by."""
	department = (
		frappe.get_doc(
			{
				"doctype": "Department",
				"department_name": unique("KM Desk"),
				"company": frappe.db.get_value("Company", {}, "name"),
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
	for user in members:
		make_employee(user, department)
	return department


def activity_type() -> str:
	if not frappe.db.exists("Activity Type", "KM Support"):
		frappe.get_doc({"doctype": "Activity Type", "activity_type": "KM Support"}).insert(
			ignore_permissions=True
		)
	return "KM Support"

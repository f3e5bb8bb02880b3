"""The permission probe's world: articles in every state and audience, each carrying marker words
that say where they come from, plus tickets, links, tags, history and committee deliberation; and
the oracle: which markers and record names each user may see, decided from the stored records with
km_crm/permissions/rules.py and Frappe's ticket permissions (not with the code under test).

Markers of an article:
- live: in its live version (title and text): seen by readers of the live version's audience;
- draft: only in its working copy (a draft, or the draft of its next version), its tags, comments
  and document history: editors and the author only;
- old: only in an earlier version: editors and the author only;
- committee: in submission notes and vote comments: editors and the author only.
"""

import json
import random
import re
import string
from dataclasses import dataclass, field

import frappe
from frappe.desk.doctype.tag.tag import add_tag

from km_crm import constants as C
from km_crm.governance import actions
from km_crm.knowledge import article_links
from km_crm.permissions import rules
from km_crm.tests.factories import (
	GovernanceFixture,
	as_user,
	make_customer,
	make_issue,
	make_portal_user,
	make_user,
)

WORDS = "printer toner invoice tax password reset router wifi stock delivery pos closing scanner".split()
PARTNER_ROLE = "KM Probe Channel Partner"
STATES = ("draft", "in review", "live", "redrafted", "republished", "retired")
PROBE_TAG = "km-probe-tag"


def marker(rng: random.Random) -> str:
	return "zq" + "".join(rng.choices(string.ascii_lowercase, k=8))


@dataclass
class Article:
	name: str
	audience: str
	state: str
	owner: str
	markers: dict[str, str]  # kind -> marker word
	live_version: str | None = None
	versions: list[str] = field(default_factory=list)


@dataclass
class World:
	articles: dict[str, Article]
	tickets: dict[tuple[str, str], str]  # (doctype, name) -> marker in its subject and text
	users: dict[str, str]  # label -> user
	customer: str
	open_issue: str
	reviews: list[str]
	versions: list[str]
	names_pattern: re.Pattern | None = None


def build(rng: random.Random) -> World:
	frappe.set_user("Administrator")
	if not frappe.db.exists("Role", PARTNER_ROLE):
		frappe.get_doc({"doctype": "Role", "role_name": PARTNER_ROLE, "desk_access": 0}).insert()
	frappe.db.set_single_value("KM Settings", "partner_role", PARTNER_ROLE)
	frappe.clear_document_cache("KM Settings", "KM Settings")
	f = GovernanceFixture()
	articles = {}
	for audience in C.AUDIENCES:
		for state in STATES:
			a = _article(f, rng, audience, state)
			articles[a.name] = a
	customer_a, contact_a = make_customer(f"Probe A {marker(rng)}", f"{marker(rng)}@a.example.com")
	customer_b, _contact_b = make_customer(f"Probe B {marker(rng)}", f"{marker(rng)}@b.example.com")
	tickets = {}
	for customer in (customer_a, customer_b, None):
		for _ in range(3):
			m = marker(rng)
			issue = make_issue(
				f"{' '.join(rng.sample(WORDS, 3))} {m}",
				f"<p>{' '.join(rng.sample(WORDS, 4))} {m}</p>",
				customer=customer,
				status="Closed",
				resolution=f"<p>{m} fixed</p>",
			)
			tickets[("Issue", issue.name)] = m
	open_issue = make_issue(f"{' '.join(WORDS[:4])} open", customer=customer_a, contact=contact_a)
	# every article is linked to a ticket: links show titles, and drafts' links must not
	issues = [name for (_dt, name) in tickets]
	for i, a in enumerate(articles.values()):
		link_type = C.LINK_SOLVED if a.live_version else C.LINK_CREATED_FROM
		article_links.add_link(a.name, "Issue", issues[i % len(issues)], link_type)
		article_links.add_link(a.name, "Issue", open_issue.name, C.LINK_REFERENCED)
	users = {
		"Guest": "Guest",
		"Customer": make_portal_user("probecustomer", "Customer"),
		"Partner": make_portal_user("probepartner", PARTNER_ROLE),
		"No role": make_user("probenorole"),
		"Accounts User": make_user("probeaccounts", "Accounts User"),
		"Support Team": make_user("probesupport", "Support Team"),
		"Sales User": make_user("probesales", "Sales User"),
		"KM Candidate": make_user("probecandidate", "KM Candidate"),
		"Restricted agent": make_user(f"proberestricted{marker(rng)}", "Support Team"),
	}
	_contact_user(contact_a, users["Customer"])
	frappe.get_doc(
		{
			"doctype": "User Permission",
			"user": users["Restricted agent"],
			"allow": "Customer",
			"for_value": customer_b,
		}
	).insert(ignore_permissions=True)
	if frappe.db.exists("Role", "Agent"):
		users["Helpdesk agent"] = make_user("probehdagent", "Agent")
	world = World(
		articles=articles,
		tickets=tickets,
		users=users,
		customer=customer_a,
		open_issue=open_issue.name,
		reviews=frappe.get_all(
			"KM Review", filters={"article": ("in", list(articles))}, pluck="name", order_by="name"
		),
		versions=[v for a in articles.values() for v in a.versions],
	)
	return world


def _contact_user(contact: str, user: str) -> None:
	"""The portal customer is the contact of customer A (their tickets are theirs)."""
	frappe.db.set_value("Contact", contact, "user", user)


def _article(f: GovernanceFixture, rng: random.Random, audience: str, state: str) -> Article:
	m = {kind: marker(rng) for kind in ("live", "draft", "old", "committee")}
	topic = " ".join(rng.sample(WORDS, 3))

	def text(kind: str) -> dict:
		return {
			"title": f"{topic} {m[kind]} {audience} {state}",
			"resolution": f"<p>{' '.join(rng.sample(WORDS, 5))} {m[kind]} steps.</p>",
			"summary": f"{m[kind]} summary",
		}

	first = "old" if state == "republished" else ("draft" if state in ("draft", "in review") else "live")
	doc = f.article(audience=audience, **text(first))
	name = doc.name
	if state != "draft":
		_publish_round(f, name, m["committee"], approve=state != "in review")
	if state == "republished":
		_edit(f, name, text("live"))
		_publish_round(f, name, m["committee"], approve=True)
	if state == "redrafted":
		_edit(f, name, text("draft"))
	if state == "retired":
		with as_user(f.author):
			review = actions.request_retirement(name, f"obsolete {m['committee']}")
		f.vote(f.members[0], review, comment=f"retire {m['committee']}")
		f.vote(f.members[1], review, comment=f"retire {m['committee']}")
	if state in ("draft", "redrafted", "in review"):
		add_tag(PROBE_TAG, "KM Article", name)
	# every record has the desk's working notes and, as sites that tracked changes have it, history
	frappe.get_doc("KM Article", name).add_comment("Comment", f"working notes {m['draft']}")
	_legacy_history(name, m["draft"], m["old"])
	row = frappe.db.get_value("KM Article", name, ["published_version", "status"], as_dict=True)
	versions = frappe.get_all("KM Article Version", filters={"article": name}, pluck="name")
	return Article(name, audience, state, f.author, m, row.published_version, versions)


def _publish_round(f: GovernanceFixture, name: str, committee_marker: str, approve: bool) -> None:
	with as_user(f.author):
		review = actions.submit_for_review(name, f"please review {committee_marker}")
	f.vote(f.members[0], review, comment=f"fine {committee_marker}")
	if approve:
		f.vote(f.members[1], review, comment=f"agreed {committee_marker}")


def _edit(f: GovernanceFixture, name: str, values: dict) -> None:
	with as_user(f.author):
		doc = frappe.get_doc("KM Article", name)
		doc.update(values)
		doc.save()


def _legacy_history(name: str, draft_marker: str, old_marker: str) -> None:
	"""Document history as sites that tracked changes on KM Article hold it."""
	frappe.get_doc(
		{
			"doctype": "Version",
			"ref_doctype": "KM Article",
			"docname": name,
			"data": json.dumps({"changed": [["title", f"{old_marker} old title", f"{draft_marker} new"]]}),
		}
	).insert(ignore_permissions=True)


# -- The oracle -----------------------------------------------------------------------------------------


@dataclass
class Sight:
	"""What one user may see: markers and record names they must never be shown."""

	forbidden_markers: set[str]
	forbidden_names: set[str]
	readable_articles: set[str]  # articles whose live version (or working copy) they may read
	editor: bool
	reads_links: bool  # a knowledge reader role: the ticket links of live articles
	audiences: tuple[str, ...]
	readable_tickets: set[tuple[str, str]]


def sight(world: World, user: str) -> Sight:
	r = rules.Reader.of(
		user,
		frappe.get_roles(user),
		reader_roles=[row.role for row in frappe.get_cached_doc("KM Settings").reader_roles],
		partner_role=frappe.db.get_single_value("KM Settings", "partner_role"),
	)
	markers, names, readable = set(), set(), set()
	for a in world.articles.values():
		if rules.reads_everything(r) or (a.owner == user and user != "Guest"):  # editors, the author
			readable.add(a.name)
			continue
		live_audience = a.live_version and frappe.db.get_value(
			"KM Article Version", a.live_version, "audience"
		)
		live_ok = bool(live_audience) and rules.can_read_version(
			r, is_live=True, audience=live_audience, article_owner=a.owner
		)
		markers |= {m for kind, m in a.markers.items() if not (kind == "live" and live_ok)}
		names |= {v for v in a.versions if not (live_ok and v == a.live_version)}
		if live_ok:
			readable.add(a.name)
		else:
			names.add(a.name)
	tickets = set()
	with as_user(user):
		for key in world.tickets:
			if user != "Guest" and frappe.has_permission(key[0], "read", doc=key[1]):
				tickets.add(key)
	markers |= {m for key, m in world.tickets.items() if key not in tickets}
	return Sight(
		markers,
		names,
		readable,
		rules.reads_everything(r),
		bool(r.roles & r.reader_roles),
		rules.audiences(r),
		tickets,
	)


def describe(world: World, found: str) -> str:
	"""Where a leaked marker or name comes from, for the report."""
	for a in world.articles.values():
		for kind, m in a.markers.items():
			if m == found:
				return f"{found} ({a.audience} {a.state} article {a.name}: {kind} text)"
		if found == a.name or found in a.versions:
			return f"{found} ({a.audience} {a.state} article)"
	for (doctype, name), m in world.tickets.items():
		if m == found:
			return f"{found} (subject of {doctype} {name})"
	return found


def leaks(s: Sight, text: str) -> list[str]:
	"""Forbidden markers and record names in `text`."""
	found = [m for m in s.forbidden_markers if m in text]
	found += [n for n in s.forbidden_names if re.search(rf"{re.escape(n)}(?![0-9A-Za-z])", text)]
	return found

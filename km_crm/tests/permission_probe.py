"""Permission probe: users of every relevant role ask every door for knowledge and tickets with
randomized queries and filters; anything returned that the rules say they may not see is a leak.

	bench --site SITE execute km_crm.tests.permission_probe.run --kwargs "{'probes': 10000}"

It builds its own articles, tickets and users inside one transaction that is rolled back at the end,
and indexes into a throwaway index (as tests do), so the site is left as it was. Prints the number
of probes and of leaks per door and role; returns the totals. The oracle is independent of the code
under test: article visibility comes from km_crm/access/rules.py applied to the stored records,
ticket visibility from frappe.has_permission on each ticket.
"""

import json
import random
import string
from collections import Counter

import frappe
from frappe.desk.search import search_link

from km_crm import constants as C
from km_crm.access import rules
from km_crm.api import search as search_api
from km_crm.api import tickets as tickets_api
from km_crm.tests.factories import (
	GovernanceFixture,
	as_user,
	make_customer,
	make_issue,
	make_portal_user,
	make_user,
	published,
)

WORDS = "printer toner invoice tax password reset router wifi stock delivery pos closing scanner".split()
PARTNER_ROLE = "KM Probe Channel Partner"


def run(probes: int = 10_000, seed: int = 7) -> dict:
	previous_flag = frappe.flags.in_test
	frappe.flags.in_test = True  # throwaway search indexes, synchronous indexing
	try:
		world = _build_world()
		result = _probe(world, probes, random.Random(seed))
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.flags.in_test = previous_flag
		frappe.clear_document_cache("KM Settings", "KM Settings")
	print(f"permission probe: {result['probes']} probes, {result['leaks']} leaks")
	for (door, role), n in sorted(result["by_door"].items()):
		print(f"  {door:<22} {role:<14} {n:>6} probes  {result['leaks_by_door'].get((door, role), 0)} leaks")
	for leak in result["examples"]:
		print("  LEAK", leak)
	return {"probes": result["probes"], "leaks": result["leaks"]}


def _marker() -> str:
	return "zq" + "".join(random.choices(string.ascii_lowercase, k=8))


def _build_world() -> dict:
	frappe.set_user("Administrator")
	if not frappe.db.exists("Role", PARTNER_ROLE):
		frappe.get_doc({"doctype": "Role", "role_name": PARTNER_ROLE, "desk_access": 0}).insert()
	frappe.db.set_single_value("KM Settings", "partner_role", PARTNER_ROLE)
	frappe.clear_document_cache("KM Settings", "KM Settings")
	f = GovernanceFixture()
	articles = {}
	for audience in C.AUDIENCES:
		for state in ("live", "draft", "redrafted", "retired"):
			marker = _marker()
			topic = random.sample(WORDS, 3)
			title = f"{' '.join(topic)} {marker} {audience} {state}"
			body = f"<p>{' '.join(random.sample(WORDS, 5))} {marker} steps.</p>"
			if state == "draft":
				name = f.article(audience=audience, title=title, resolution=body).name
			else:
				name = published(f, audience=audience, title=title, resolution=body)
			if state == "redrafted":
				with as_user(f.author):
					doc = frappe.get_doc("KM Article", name)
					doc.resolution = f"<p>{marker} unreviewed draft words.</p>"
					doc.save()
			if state == "retired":
				from km_crm.governance import review_round

				with as_user(f.author):
					review = review_round.request_retirement(name, "obsolete")
				f.vote(f.members[0], review)
				f.vote(f.members[1], review)
			articles[name] = marker
	customer_a, contact_a = make_customer(f"Probe A {_marker()}", f"{_marker()}@a.example.com")
	customer_b, _contact_b = make_customer(f"Probe B {_marker()}", f"{_marker()}@b.example.com")
	ticket_markers = {}
	for customer in (customer_a, customer_b, None):
		for _ in range(3):
			marker = _marker()
			issue = make_issue(
				f"{' '.join(random.sample(WORDS, 3))} {marker}",
				f"<p>{' '.join(random.sample(WORDS, 4))} {marker}</p>",
				customer=customer,
				status="Closed",
				resolution=f"<p>{marker} fixed</p>",
			)
			ticket_markers[("Issue", issue.name)] = marker
	open_issue = make_issue(f"{' '.join(WORDS[:4])} open", customer=customer_a, contact=contact_a)

	users = {
		"Guest": "Guest",
		"Customer": make_portal_user("probecustomer", "Customer"),
		"Partner": make_portal_user("probepartner", PARTNER_ROLE),
		"Support Team": make_user("probesupport", "Support Team"),
		"Sales User": make_user("probesales", "Sales User"),
		"KM Candidate": make_user("probecandidate", "KM Candidate"),
		"No role": make_user("probenorole"),
		"Restricted agent": make_user(f"proberestricted{_marker()}", "Support Team"),
	}
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
	return {"articles": articles, "tickets": ticket_markers, "users": users, "open_issue": open_issue.name}


def _allowed_articles(user: str) -> tuple[set[str], set[str]]:
	"""(articles whose record the user may open, articles whose live version they may open)."""
	r = rules.Reader.of(
		user,
		frappe.get_roles(user),
		reader_roles=[row.role for row in frappe.get_cached_doc("KM Settings").reader_roles],
		partner_role=frappe.db.get_single_value("KM Settings", "partner_role"),
	)
	records, versions = set(), set()
	for row in frappe.get_all(
		"KM Article",
		fields=["name", "status", "audience", "article_owner", "published_version"],
		ignore_permissions=True,
	):
		if rules.can_read_article(r, status=row.status, audience=row.audience, owner=row.article_owner):
			records.add(row.name)
		if row.published_version:
			audience = frappe.db.get_value("KM Article Version", row.published_version, "audience")
			if rules.can_read_version(r, is_live=True, audience=audience, article_owner=row.article_owner):
				versions.add(row.name)
	return records, versions


def _probe(world: dict, probes: int, rng: random.Random) -> dict:
	by_door, leaks_by_door, examples = Counter(), Counter(), []
	markers = world["articles"]
	ticket_markers = world["tickets"]
	allowed = {role: _allowed_articles(user) for role, user in world["users"].items()}
	readable_tickets = {}
	for role, user in world["users"].items():
		with as_user(user):
			readable_tickets[role] = {
				key
				for key in ticket_markers
				if user != "Guest" and frappe.has_permission(key[0], "read", doc=key[1])
			}

	def forbidden_text(role: str, text: str) -> list[str]:
		records, versions = allowed[role]
		seen = records | versions
		bad = [a for a, m in markers.items() if m in text and a not in seen]
		bad += [k[1] for k, m in ticket_markers.items() if m in text and k not in readable_tickets[role]]
		return bad

	doors = [
		"search",
		"list",
		"client.get_list",
		"count",
		"link search",
		"version list",
		"get doc",
		"ticket suggest",
		"similar tickets",
	]
	roles = list(world["users"])
	total = leaks = 0
	for _ in range(probes):
		role = rng.choice(roles)
		user = world["users"][role]
		door = rng.choice(doors)
		words = rng.sample(WORDS, rng.randint(1, 3))
		if rng.random() < 0.3:
			words.append(rng.choice(list(markers.values()) + list(ticket_markers.values())))
		query = " ".join(words)
		filters = rng.choice(
			[
				{},
				{"audience": rng.choice(C.AUDIENCES)},
				{"status": rng.choice(C.STATUSES)},
				{"title": ("like", f"%{rng.choice(words)}%")},
			]
		)
		found, text = _ask(door, user, query, filters, world, allowed[role])
		total += 1
		by_door[(door, role)] += 1
		records, versions = allowed[role]
		bad = [a for a in found if a not in (records | versions) and a not in ticket_markers]
		bad += forbidden_text(role, text)
		if bad:
			leaks += 1
			leaks_by_door[(door, role)] += 1
			if len(examples) < 10:
				examples.append((door, role, query, filters, bad[:3]))
	return {
		"probes": total,
		"leaks": leaks,
		"by_door": by_door,
		"leaks_by_door": leaks_by_door,
		"examples": examples,
	}


def _ask(door, user, query, filters, world, allowed) -> tuple[list[str], str]:
	"""(article names returned, all returned text) for one probe; refusals return nothing."""
	with as_user(user):
		try:
			if door == "search":
				rows = search_api.search_rows(query, limit=20)
				return [r["article"] for r in rows], json.dumps(rows)
			if door == "list":
				rows = frappe.get_list(
					"KM Article", filters=filters, fields=["name", "title"], limit_page_length=0
				)
				return [r.name for r in rows], json.dumps(rows, default=str)
			if door == "client.get_list":
				rows = frappe.client.get_list(
					"KM Article", fields=["name", "title", "resolution"], filters=filters, limit_page_length=0
				)
				return [r["name"] for r in rows], json.dumps(rows, default=str)
			if door == "count":
				count = frappe.client.get_count("KM Article", filters=filters)
				names = frappe.get_list("KM Article", filters=filters, pluck="name", limit_page_length=0)
				# a count larger than what the user may list would betray hidden articles
				return (["<count>"] if count != len(names) else []), ""
			if door == "link search":
				rows = search_link("KM Article", query.split()[0])
				return [r.get("value") for r in rows], json.dumps(rows, default=str)
			if door == "version list":
				rows = frappe.get_list(
					"KM Article Version", fields=["article", "title", "snapshot"], limit_page_length=0
				)
				return [r.article for r in rows], json.dumps(rows, default=str)
			if door == "get doc":
				name = random.choice(list(world["articles"]))
				doc = frappe.client.get("KM Article", name)
				return [doc["name"]], json.dumps(doc, default=str)
			if door == "ticket suggest":
				data = tickets_api.suggest("Issue", world["open_issue"], query=query, limit=20)
				data.pop("query")  # the caller's own words, echoed back
				return [r["article"] for r in data["results"]], json.dumps(data, default=str)
			if door == "similar tickets":
				rows = tickets_api.similar_tickets(query, limit=20)
				return [], json.dumps(rows, default=str)
		except (frappe.PermissionError, frappe.DoesNotExistError):
			return [], ""
	return [], ""

"""Experts for a ticket or a question, and asking one to help (the ticket's knowledge panel).

Everyone who handles tickets may be suggested; the reasons name only tickets and articles the
caller may open, and count only those."""

import frappe
from frappe import _
from frappe.desk.form import assign_to

from km_crm.experts import evidence, expertise, profiles, requests
from km_crm.experts.wording import resolved_like_this
from km_crm.knowledge.sanitize import html_to_text
from km_crm.permissions import readers
from km_crm.search import semantic
from km_crm.search.analysis import analyze, detect_language
from km_crm.tickets import teams, ticket_access, ticket_types

MAX_EXPERTS = 5
NEAREST_EVIDENCE = 40  # resolved tickets and articles nearest the question by meaning, each


@frappe.whitelist()
def for_ticket(ticket_doctype: str, ticket: str, limit: int = 3) -> list[dict]:
	"""People best placed to solve this ticket, with why: `limit` people not on it yet, and those of
	the best who are already assigned (marked, so the agent sees the expert is on it)."""
	readers.require_desk_user()
	doc = ticket_types.get_ticket(ticket_doctype, ticket)
	text = f"{doc.subject or ''} {html_to_text(doc.get('description') or '')}"
	skills = evidence.ticket_skills(ticket_doctype, doc.get(ticket_types.TYPES[ticket_doctype].type_field))
	assigned = teams.handlers(ticket_doctype, [ticket]).get(ticket, set())
	limit = max(1, min(int(limit or 3), MAX_EXPERTS))
	rows = _suggest(text, skills, limit + len(assigned), exclude={frappe.session.user}, ticket=doc)
	for row in rows:
		row["assigned"] = row["user"] in assigned
	free = [row["user"] for row in rows if not row["assigned"]][:limit]
	return [row for row in rows if row["assigned"] or row["user"] in free]


@frappe.whitelist()
def for_question(question: str, limit: int = 5) -> list[dict]:
	"""People best placed to answer a free question (for desk users)."""
	readers.require_desk_user()
	if not (question or "").strip():
		frappe.throw(_("Describe the problem to find who has solved it before."))
	return _suggest(question, (), limit)


@frappe.whitelist(methods=["POST"])
def ask(ticket_doctype: str, ticket: str, user: str, note: str | None = None) -> dict:
	"""Assign the ticket to the expert as well (Frappe's assignment, which Helpdesk shows too),
	with the agent's note; when they resolve it, it counts as evidence of an expert's help."""
	readers.require_desk_user()
	doc = ticket_types.get_ticket(ticket_doctype, ticket, "write")
	if user not in teams.agents():
		frappe.throw(_("{0} does not handle tickets.").format(user), frappe.ValidationError)
	description = (note or "").strip() or _("Your help is asked on {0}: {1}").format(doc.name, doc.subject)
	assign_to.add(
		{"assign_to": [user], "doctype": ticket_doctype, "name": ticket, "description": description}
	)
	requests.record(ticket_doctype, ticket, user, description)
	return {"assigned": user, "full_name": frappe.utils.get_fullname(user)}


def _suggest(text: str, skills, limit, exclude=(), ticket=None) -> list[dict]:
	limit = max(1, min(int(limit or 3), 2 * MAX_EXPERTS))
	candidates = teams.agents()
	load = teams.open_tickets(candidates)
	found = evidence.index().rank(
		analyze(text),
		skills,
		people=profiles.people(candidates, load),
		candidates=candidates,
		limit=limit,
		exclude=exclude,
		language=detect_language(text),
		meaning=semantic.nearest_records(text, NEAREST_EVIDENCE),
	)
	return [_row(s, load.get(s.user, 0)) for s in found]


def _row(s: expertise.Suggestion, open_tickets: int) -> dict:
	"""A suggestion as the panel shows it: the reasons name what the caller may open, nothing else."""
	today = evidence.index().today
	visible_tickets, articles, published = [], [], []
	hidden = False  # recent tickets like this one that the caller may not open
	for e in s.similar:
		if e.kind in (expertise.RESOLVED, expertise.ASKED):
			doctype, name = evidence.parse_ref(e.ref)
			if (today - e.on).days > expertise.RECENT_DAYS:
				continue
			if not frappe.db.exists(doctype, name):
				continue  # deleted since the evidence was gathered
			if not ticket_access.may_read(doctype, name):
				hidden = True
			elif not any(t["name"] == name for t in visible_tickets):
				visible_tickets.append(
					{"doctype": doctype, "name": name, "route": ticket_types.route(doctype, name)}
				)
		elif e.kind in (expertise.AUTHORED, expertise.SOLVED_WITH) and e.ref not in articles:
			articles.append(e.ref)
		elif e.kind == expertise.PUBLISHED and e.ref not in published:
			published.append(e.ref)
	routes = readers.live_routes(articles + published)
	published = [a for a in published if a in routes and a not in articles][:3]
	articles = [{"name": a, "route": routes[a]} for a in articles if a in routes][:3]
	reasons = []
	if visible_tickets:
		reasons.append(resolved_like_this(len(visible_tickets), expertise.RECENT_DAYS))
	if articles:
		reasons.append(_("wrote {0}").format(", ".join(a["name"] for a in articles)))
	if published:
		reasons.append(_("published {0}").format(", ".join(published)))
	declared = [evidence.parse_ref(e.ref)[1] for e in s.similar if e.kind == expertise.DECLARED]
	if declared:
		reasons.append(_("declares {0}").format(", ".join(declared[:3])))
	if not reasons:
		reasons.append(
			_("resolved tickets like this (evidence hidden: you cannot open these tickets)")
			if hidden
			else _("works on tickets of this kind")
		)
	return {
		"user": s.user,
		"full_name": frappe.utils.get_fullname(s.user),
		"image": frappe.db.get_value("User", s.user, "user_image"),
		"reason": "; ".join(reasons),
		"tickets": visible_tickets[:5],
		"articles": articles,
		"open_tickets": open_tickets,
		"score": round(s.score, 3),
	}


@frappe.whitelist()
def profile_skills(profile: str) -> list[dict]:
	"""The skills a profile's work shows, strongest first, with the evidence the caller may open;
	skills the person hid are shown to them and to managers only."""
	doc = frappe.get_doc("KM Expert Profile", profile)
	doc.check_permission("read")
	may_edit = frappe.has_permission("KM Expert Profile", "write", doc=doc)
	hidden = {row.skill_key for row in doc.hidden_skills}
	index = evidence.index()
	out = []
	for skill in index.skills.get(doc.user, [])[:20]:
		if skill.key in hidden and not may_edit:
			continue
		kind, _sep, value = skill.key.partition(":")
		pieces = sorted(
			(e for e in index.pieces if e.user == doc.user and skill.key in e.skills),
			key=lambda e: e.on,
			reverse=True,
		)
		out.append(
			{
				"key": skill.key,
				"kind": _SKILL_KIND_LABEL.get(kind, kind),
				"skill": value,
				"score": round(skill.score, 2),
				"pieces": skill.pieces,
				"last": str(skill.last),
				"hidden": skill.key in hidden,
				"evidence": _visible_evidence(pieces)[:5],
			}
		)
	return out


_SKILL_KIND_LABEL = {
	"category": "Category",
	"ticket_type": "Ticket Type",
	"item_group": "Item Group",
	"item": "Item",
}


def _visible_evidence(pieces) -> list[dict]:
	"""The tickets and live articles among `pieces` that the caller may open."""
	shown, articles = [], []
	for e in pieces:
		if e.kind in (expertise.RESOLVED, expertise.ASKED):
			doctype, name = evidence.parse_ref(e.ref)
			if ticket_access.may_read(doctype, name):
				shown.append({"name": name, "route": ticket_types.route(doctype, name), "on": str(e.on)})
		elif e.kind in (expertise.AUTHORED, expertise.PUBLISHED, expertise.SOLVED_WITH, expertise.VOTE):
			articles.append(e)
	routes = readers.live_routes([e.ref for e in articles])
	shown += [{"name": e.ref, "route": routes[e.ref], "on": str(e.on)} for e in articles if e.ref in routes]
	seen, out = set(), []
	for row in sorted(shown, key=lambda r: r["on"], reverse=True):
		if row["name"] not in seen:
			seen.add(row["name"])
			out.append(row)
	return out


@frappe.whitelist(methods=["POST"])
def set_skill_hidden(profile: str, skill_key: str, hidden: int | bool = 1) -> list[str]:
	"""Hide an inferred skill from others and from suggestions, or show it again."""
	doc = frappe.get_doc("KM Expert Profile", profile)
	doc.check_permission("write")
	keys = [row.skill_key for row in doc.hidden_skills]
	if frappe.utils.cint(hidden) and skill_key not in keys:
		doc.append("hidden_skills", {"skill_key": skill_key})
	elif not frappe.utils.cint(hidden):
		doc.hidden_skills = [row for row in doc.hidden_skills if row.skill_key != skill_key]
	doc.save()
	return [row.skill_key for row in doc.hidden_skills]


@frappe.whitelist()
def my_profile() -> str:
	"""The session user's profile (created when missing), for "My Expert Profile"."""
	readers.require_desk_user()
	return profiles.ensure(frappe.session.user)

"""Experts for a ticket or a question, and asking one to help (the ticket's knowledge panel).

Everyone who handles tickets may be suggested; the reasons name only tickets and articles the
caller may open, and count only those."""

import frappe
from frappe import _
from frappe.desk.form import assign_to

from km_crm import permissions
from km_crm.experts import evidence
from km_crm.experts import expertise as X
from km_crm.integrations import teams, tickets
from km_crm.knowledge.sanitize import html_to_text
from km_crm.search.analysis import analyze

MAX_EXPERTS = 5


@frappe.whitelist()
def for_ticket(ticket_doctype: str, ticket: str, limit: int = 3) -> list[dict]:
	"""People best placed to solve this ticket, with why; those already assigned are left out."""
	doc = tickets.get_ticket(ticket_doctype, ticket)
	text = f"{doc.subject or ''} {html_to_text(doc.get('description') or '')}"
	skills = evidence.ticket_skills(ticket_doctype, doc.get(evidence.TYPE_FIELD[ticket_doctype]))
	assigned = teams.handlers(ticket_doctype, [ticket]).get(ticket, set())
	return _suggest(text, skills, limit, exclude=assigned | {frappe.session.user}, ticket=doc)


@frappe.whitelist()
def for_question(question: str, limit: int = 5) -> list[dict]:
	"""People best placed to answer a free question."""
	if not (question or "").strip():
		frappe.throw(_("Describe the problem to find who has solved it before."))
	return _suggest(question, (), limit)


@frappe.whitelist(methods=["POST"])
def ask(ticket_doctype: str, ticket: str, user: str, note: str | None = None) -> dict:
	"""Assign the ticket to the expert as well (Frappe's assignment, which Helpdesk shows too),
	with the agent's note; when they resolve it, it counts as evidence of an expert's help."""
	doc = tickets.get_ticket(ticket_doctype, ticket, "write")
	if user not in teams.agents():
		frappe.throw(_("{0} does not handle tickets.").format(user), frappe.ValidationError)
	description = (note or "").strip() or _("Your help is asked on {0}: {1}").format(doc.name, doc.subject)
	assign_to.add(
		{"assign_to": [user], "doctype": ticket_doctype, "name": ticket, "description": description}
	)
	evidence.clear()
	return {"assigned": user, "full_name": frappe.utils.get_fullname(user)}


def _suggest(text: str, skills, limit, exclude=(), ticket=None) -> list[dict]:
	limit = max(1, min(int(limit or 3), MAX_EXPERTS))
	candidates = teams.agents()
	load = teams.open_tickets(candidates)
	people = {u: X.Person(open_tickets=load.get(u, 0)) for u in candidates}
	found = evidence.index().rank(
		analyze(text), skills, people=people, candidates=candidates, limit=limit, exclude=exclude
	)
	return [_row(s, load.get(s.user, 0)) for s in found]


def _row(s: X.Suggestion, open_tickets: int) -> dict:
	"""A suggestion as the panel shows it: the reasons name what the caller may open, nothing else."""
	today = evidence.index().today
	visible_tickets, articles = [], []
	for e in s.similar:
		if e.kind in (X.RESOLVED, X.ASKED):
			doctype, name = evidence.parse_ref(e.ref)
			if (today - e.on).days <= X.RECENT_DAYS and frappe.has_permission(doctype, "read", doc=name):
				if not any(t["name"] == name for t in visible_tickets):
					visible_tickets.append(
						{"doctype": doctype, "name": name, "route": tickets.route(doctype, name)}
					)
		elif e.kind in (X.AUTHORED, X.SOLVED_WITH) and e.ref not in articles:
			articles.append(e.ref)
	routes = permissions.live_routes(articles)
	articles = [{"name": a, "route": routes[a]} for a in articles if a in routes][:3]
	reasons = []
	if visible_tickets:
		reasons.append(
			_("resolved {0} tickets like this in the last {1} days").format(
				len(visible_tickets), X.RECENT_DAYS
			)
		)
	if articles:
		reasons.append(_("wrote {0}").format(", ".join(a["name"] for a in articles)))
	if not reasons:
		reasons.append(_("works on tickets of this kind"))
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

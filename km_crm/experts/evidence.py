"""The evidence of expertise a site holds, read for km_crm.experts.expertise (Frappe glue).

* resolved: every resolved or closed ticket (Issue, HD Ticket), for each user it was assigned to
  (a closed assignment counts: integrations.teams.handlers), about its subject and description,
  with its ticket type as a skill;
* authored: every article that went live, for its owner, about its title, issue and resolution,
  with its category as a skill; published: the same for the person who published it (when that is
  not the owner);
* solved_with: an article linked as "Solved" on a ticket, for the article's owner when somebody
  else handled the ticket;
* vote: a review vote, for the voter, about the article's title and category;
* asked: a ticket resolved by an expert who was asked to help (KM Expert Request), in place of
  "resolved" for them;
* declared: a skill on the person's KM Expert Profile, about the category's, item group's or item's
  name and description (low weight).
The index is cached (CACHE_SECONDS) and learns each resolved ticket as it happens (add_resolved);
profile changes, publications and votes clear it, and a nightly job rebuilds it (rebuild).
"""

import frappe
from frappe.utils import getdate, today

from km_crm import constants as C
from km_crm.experts import expertise
from km_crm.knowledge import lifecycle
from km_crm.knowledge.sanitize import html_to_text
from km_crm.search.analysis import analyze
from km_crm.tickets import teams, ticket_types

CACHE_KEY = "km_crm:expert_index"
CACHE_SECONDS = 6 * 3600
TEXT_CHARS = 1500  # of a ticket's or article's text: enough to say what it was about


def parse_ref(ref: str) -> tuple[str, str]:
	"""A piece of evidence's reference: a ticket's (tickets.ticket_types.ticket_ref) or a declared
	skill's "kind/value"."""
	return ticket_types.parse_ticket_ref(ref)


def ticket_skills(doctype: str, ticket_type: str | None) -> tuple[str, ...]:
	return (f"ticket_type:{ticket_type}",) if ticket_type else ()


def _terms(*parts) -> tuple[str, ...]:
	return tuple(analyze(" ".join(html_to_text(p or "") for p in parts)[:TEXT_CHARS]))


def _asked() -> set[tuple[str, str, str]]:
	"""(ticket doctype, ticket, expert) of requests to help that the expert resolved."""
	return {
		(r.ticket_doctype, r.ticket, r.expert)
		for r in frappe.get_all(
			"KM Expert Request",
			filters={"status": "Resolved", "resolved_by_expert": 1},
			fields=["ticket_doctype", "ticket", "expert"],
		)
	}


def _ticket_evidence(doctype: str, rows, asked) -> tuple[list[expertise.Evidence], dict[str, set[str]]]:
	out, handled_by = [], {}
	people = teams.handlers(doctype, [r.name for r in rows])
	for row in rows:
		ref = ticket_types.ticket_ref(doctype, row.name)
		handled_by[ref] = people.get(row.name, set())
		terms = _terms(row.subject, row.description)
		skills = ticket_skills(doctype, row.get(ticket_types.TYPES[doctype].type_field))
		for user in sorted(handled_by[ref]):
			kind = expertise.ASKED if (doctype, row.name, user) in asked else expertise.RESOLVED
			out.append(expertise.Evidence(user, kind, ref, getdate(row.modified), terms, skills))
	return out, handled_by


def _resolved_tickets(doctype: str, names: list[str] | None = None) -> list:
	filters = {"status": ("in", ticket_types.TYPES[doctype].resolved_statuses)}
	if names is not None:
		filters["name"] = ("in", names)
	return frappe.get_all(
		doctype,
		filters=filters,
		fields=["name", "subject", "description", "modified", ticket_types.TYPES[doctype].type_field],
	)


def _declared() -> list[expertise.Evidence]:
	"""Declared skills: about the name and description of what is declared, dated today."""
	out = []
	described = {"KM Category": "description", "Item Group": "description", "Item": "description"}
	rows = frappe.get_all(
		"KM Expert Skill",
		filters={"parenttype": "KM Expert Profile"},
		fields=["parent", "skill_type", "skill"],
	)
	for row in rows:
		if not row.skill or not frappe.db.exists(row.skill_type, row.skill):
			continue
		about = frappe.db.get_value(row.skill_type, row.skill, described[row.skill_type]) or ""
		title = row.skill
		if row.skill_type == "Item":
			title = f"{row.skill} {frappe.db.get_value('Item', row.skill, 'item_name') or ''}"
		out.append(
			expertise.Evidence(
				row.parent,
				expertise.DECLARED,
				f"{row.skill_type}/{row.skill}",
				getdate(today()),
				_terms(title, about),
				(skill_key(row.skill_type, row.skill),),
			)
		)
	return out


def skill_key(skill_type: str, skill: str) -> str:
	return {"KM Category": "category", "Item Group": "item_group", "Item": "item"}[skill_type] + f":{skill}"


def collect() -> list[expertise.Evidence]:
	out: list[expertise.Evidence] = []
	handled_by: dict[str, set[str]] = {}
	asked = _asked()
	for doctype in ticket_types.installed():
		pieces, handlers = _ticket_evidence(doctype, _resolved_tickets(doctype), asked)
		out += pieces
		handled_by.update(handlers)
	articles = {
		a.name: a
		for a in frappe.get_all(
			"KM Article",
			filters=lifecycle.live_article_filters(),
			fields=[
				"name",
				"title",
				"issue",
				"resolution",
				"category",
				"article_owner",
				"published_by",
				"last_published_on",
			],
		)
	}
	for a in articles.values():
		terms = _terms(a.title, a.issue, a.resolution)
		skills = (f"category:{a.category}",) if a.category else ()
		on = getdate(a.last_published_on or today())
		if a.article_owner:
			out.append(expertise.Evidence(a.article_owner, expertise.AUTHORED, a.name, on, terms, skills))
		if a.published_by and a.published_by != a.article_owner:
			out.append(expertise.Evidence(a.published_by, expertise.PUBLISHED, a.name, on, terms, skills))
	for link in frappe.get_all(
		"KM Article Link",
		filters={"link_type": C.LINK_SOLVED},
		fields=["article", "ticket_doctype", "ticket", "linked_on"],
	):
		a = articles.get(link.article)
		ref = ticket_types.ticket_ref(link.ticket_doctype, link.ticket)
		if a and a.article_owner and a.article_owner not in handled_by.get(ref, ()):
			out.append(
				expertise.Evidence(
					a.article_owner,
					expertise.SOLVED_WITH,
					a.name,
					getdate(link.linked_on or today()),
					_terms(a.title),
					(f"category:{a.category}",) if a.category else (),
				)
			)
	for vote in frappe.get_all("KM Review Vote", fields=["voter", "article", "cast_at"]):
		a = articles.get(vote.article)
		if a and vote.voter:
			out.append(
				expertise.Evidence(
					vote.voter,
					expertise.VOTE,
					a.name,
					getdate(vote.cast_at or today()),
					_terms(a.title),
					(f"category:{a.category}",) if a.category else (),
				)
			)
	return out + _declared()


def hidden_skills() -> dict[str, set[str]]:
	hidden: dict[str, set[str]] = {}
	for row in frappe.get_all(
		"KM Expert Hidden Skill",
		filters={"parenttype": "KM Expert Profile"},
		fields=["parent", "skill_key"],
	):
		hidden.setdefault(row.parent, set()).add(row.skill_key)
	return hidden


def index() -> expertise.ExpertIndex:
	"""The site's expert index (cached for CACHE_SECONDS, rebuilt when the day changes)."""
	found = frappe.cache().get_value(CACHE_KEY)
	if found is None or found.today != getdate(today()):
		found = rebuild()
	return found


def rebuild() -> expertise.ExpertIndex:
	"""Read all the evidence again (the nightly job; the first request after a clear)."""
	found = expertise.ExpertIndex(collect(), getdate(today()), hidden=hidden_skills())
	frappe.cache().set_value(CACHE_KEY, found, expires_in_sec=CACHE_SECONDS)
	return found


def add_resolved(doctype: str, name: str) -> None:
	"""Teach the cached index a ticket just resolved (its handlers' evidence), without a rebuild."""
	found = frappe.cache().get_value(CACHE_KEY)
	if found is None or doctype not in ticket_types.installed():
		return
	rows = _resolved_tickets(doctype, [name])
	ref = ticket_types.ticket_ref(doctype, name)
	if not rows or any(e.ref == ref for e in found.pieces):
		return
	pieces, _handlers = _ticket_evidence(doctype, rows, _asked())
	for piece in pieces:
		found.add(piece)
	found.refresh(getdate(today()))
	frappe.cache().set_value(CACHE_KEY, found, expires_in_sec=CACHE_SECONDS)


def clear() -> None:
	frappe.cache().delete_value(CACHE_KEY)


def on_change(doc, method=None) -> None:
	"""doc_events: a review vote, a declared skill: read the evidence again on the next request."""
	clear()


def on_article_update(doc, method=None) -> None:
	if doc.has_value_changed("status") or doc.has_value_changed("article_owner"):
		clear()

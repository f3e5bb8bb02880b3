"""The evidence of expertise a site holds, read for km_crm.experts.expertise (Frappe glue).

* resolved: every resolved or closed ticket (Issue, HD Ticket), for each user it was assigned to
  (a closed assignment counts: integrations.teams.handlers), about its subject and description,
  with its ticket type as a skill;
* authored: every article that went live, for its owner, about its title, issue and resolution,
  with its category as a skill;
* solved_with: an article linked as "Solved" on a ticket, for the article's owner when somebody
  else handled the ticket;
* vote: a review vote, for the voter, about the article's title and category.
The index is cached for a few minutes (CACHE_SECONDS): a new resolution shows within that time.
"""

import frappe
from frappe.utils import getdate, today

from km_crm import constants as C
from km_crm.experts import expertise as X
from km_crm.integrations import teams, tickets
from km_crm.knowledge.sanitize import html_to_text
from km_crm.search.analysis import analyze

CACHE_KEY = "km_crm:expert_index"
CACHE_SECONDS = 300
TEXT_CHARS = 1500  # of a ticket's or article's text: enough to say what it was about
TYPE_FIELD = {C.ISSUE: "issue_type", C.HD_TICKET: "ticket_type"}


def ticket_ref(doctype: str, name: str) -> str:
	return f"{doctype}/{name}"


def parse_ref(ref: str) -> tuple[str, str]:
	doctype, _sep, name = ref.partition("/")
	return doctype, name


def ticket_skills(doctype: str, ticket_type: str | None) -> tuple[str, ...]:
	return (f"ticket_type:{ticket_type}",) if ticket_type else ()


def _terms(*parts) -> tuple[str, ...]:
	return tuple(analyze(" ".join(html_to_text(p or "") for p in parts)[:TEXT_CHARS]))


def collect() -> list[X.Evidence]:
	out: list[X.Evidence] = []
	handled_by: dict[str, set[str]] = {}
	for doctype in tickets.installed():
		rows = frappe.get_all(
			doctype,
			filters={"status": ("in", tickets.TYPES[doctype].resolved_statuses)},
			fields=["name", "subject", "description", "modified", TYPE_FIELD[doctype]],
		)
		people = teams.handlers(doctype, [r.name for r in rows])
		for row in rows:
			ref = ticket_ref(doctype, row.name)
			handled_by[ref] = people.get(row.name, set())
			terms = _terms(row.subject, row.description)
			skills = ticket_skills(doctype, row.get(TYPE_FIELD[doctype]))
			for user in handled_by[ref]:
				out.append(X.Evidence(user, X.RESOLVED, ref, getdate(row.modified), terms, skills))
	articles = {
		a.name: a
		for a in frappe.get_all(
			"KM Article",
			filters={"status": ("in", C.LIVE_WORKING_COPY_STATUSES)},
			fields=["name", "title", "issue", "resolution", "category", "article_owner", "last_published_on"],
		)
	}
	for a in articles.values():
		if a.article_owner:
			out.append(
				X.Evidence(
					a.article_owner,
					X.AUTHORED,
					a.name,
					getdate(a.last_published_on or today()),
					_terms(a.title, a.issue, a.resolution),
					(f"category:{a.category}",) if a.category else (),
				)
			)
	for link in frappe.get_all(
		"KM Article Link",
		filters={"link_type": C.LINK_SOLVED},
		fields=["article", "ticket_doctype", "ticket", "linked_on"],
	):
		a = articles.get(link.article)
		ref = ticket_ref(link.ticket_doctype, link.ticket)
		if a and a.article_owner and a.article_owner not in handled_by.get(ref, ()):
			out.append(
				X.Evidence(
					a.article_owner,
					X.SOLVED_WITH,
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
				X.Evidence(
					vote.voter,
					X.VOTE,
					a.name,
					getdate(vote.cast_at or today()),
					_terms(a.title),
					(f"category:{a.category}",) if a.category else (),
				)
			)
	return out


def index() -> X.ExpertIndex:
	"""The site's expert index (cached for CACHE_SECONDS)."""
	cache = frappe.cache()
	found = cache.get_value(CACHE_KEY)
	if found is None or found.today != getdate(today()):
		found = X.ExpertIndex(collect(), getdate(today()))
		cache.set_value(CACHE_KEY, found, expires_in_sec=CACHE_SECONDS)
	return found


def clear() -> None:
	frappe.cache().delete_value(CACHE_KEY)

"""Knowledge gaps from the tickets: the weekly (and on demand) job that groups resolved tickets no
article solved, records each uncovered group as a KM Knowledge Gap with a ToDo for the KCS coach of
its category, and closes the gaps an article now covers.

Rules (grouping, coverage) are gaps/clusters.py; this module reads the site: tickets of the window
without a KM Article Link, their texts' embeddings (the query side, as search embeds a question), and
the live articles' vectors in the search engine's store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import add_days, cstr, escape_html, get_datetime, now_datetime

from km_crm import constants as C
from km_crm import testing
from km_crm.gaps import clusters
from km_crm.governance.doctype.km_committee.km_committee import committee_for
from km_crm.knowledge import lifecycle
from km_crm.search import embedding, engines, semantic
from km_crm.search.analysis import detect_language
from km_crm.search.backend import SearchBackendError
from km_crm.search.hybrid import comparable_cosine
from km_crm.tickets import capture, teams, ticket_types
from km_crm.tickets.ticket_text import article_text, strip_noise

GAP = "KM Knowledge Gap"
JOB = "km_crm.gaps.ticket_gaps.find_gaps"
TEXT_CHARS = 600  # of a ticket's subject and description: what a question says, not the thread
NEAREST = 3  # articles read per ticket (the nearest one decides; a few guard against ties)
OPEN, CLOSED = "Open", "Closed"
CLOSED_ARTICLE = "Article Published"
CLOSED_COVERED = "Covered by an Article"
CLOSED_DISMISSED = "Dismissed"


@dataclass
class Ticket:
	doctype: str
	name: str
	subject: str
	text: str
	language: str
	resolved_on: object
	vector: object = None
	nearest: str | None = None  # the live article nearest in meaning
	nearest_cosine: float = 0.0  # as hybrid.comparable_cosine gives it
	twin_article: str | None = None  # the article a solved ticket about the same problem was linked to
	solved_by: str | None = None  # a solved ticket's live article
	handlers: set[str] = field(default_factory=set)

	@property
	def ref(self) -> str:
		return ticket_types.ticket_ref(self.doctype, self.name)


def settings() -> tuple[int, int]:
	"""(tickets per gap, window in days) from KM Search Settings."""
	doc = frappe.get_cached_doc("KM Search Settings")
	return (
		int(doc.get("gap_min_tickets") or clusters.DEFAULT_MIN_TICKETS),
		int(doc.get("gap_window_days") or clusters.DEFAULT_WINDOW_DAYS),
	)


def enqueue() -> None:
	"""Run the job now, in the background (the report's and the list's button)."""
	if testing.RUN:
		find_gaps()
		return
	frappe.enqueue(
		JOB,
		queue="long",
		job_id=f"km_crm:gaps:{frappe.local.site}",
		deduplicate=True,
		enqueue_after_commit=True,
	)


def find_gaps() -> dict:
	"""The job: record the uncovered groups, close the gaps now covered. {found, updated, closed}."""
	out = {"found": 0, "updated": 0, "closed": 0}
	if not semantic.enabled():
		return out  # the report says why (search by meaning is off or cannot run here)
	min_tickets, window = settings()
	out["closed"] += _close_written()
	tickets, solved = resolved_tickets(add_days(now_datetime(), -window))
	_embed(tickets + solved)
	_cover(tickets)
	_twins(tickets, solved)
	by_ref = {t.ref: t for t in tickets}
	groups = [
		[tickets[i] for i in g.members]
		for g in clusters.group_tickets([t.vector for t in tickets], [t.language for t in tickets])
	]
	open_gaps = {
		row.name: {r.ticket_doctype + "/" + r.ticket for r in frappe.get_doc(GAP, row.name).tickets}
		for row in frappe.get_all(GAP, filters={"status": OPEN}, fields=["name"])
	}
	seen = set()
	for group in groups:
		refs = {t.ref for t in group}
		known = next(
			(n for n, old in open_gaps.items() if n not in seen and clusters.same_gap(old, refs)), None
		)
		covered = _covered(group)
		if known:
			seen.add(known)
			if covered:
				_close(known, CLOSED_COVERED, _covering_article(group))
				out["closed"] += 1
			else:
				_record(group, known)
				out["updated"] += 1
		elif not covered and len(group) >= min_tickets:
			_record(group)
			out["found"] += 1
	for name in set(open_gaps) - seen:
		# its tickets are no longer unsolved: an agent linked an article to them since
		article = _linked_article(open_gaps[name] - by_ref.keys())
		if article:
			_close(name, CLOSED_COVERED, article)
			out["closed"] += 1
	return out


def _close_written() -> int:
	"""Open gaps whose article was published since: closed."""
	closed = 0
	for name in frappe.get_all(GAP, filters={"status": OPEN, "article": ("is", "set")}, pluck="name"):
		gap = frappe.get_doc(GAP, name)
		gap.close_when_article_is_live()
		if gap.status == CLOSED:
			gap.flags.ignore_permissions = True
			gap.save()
			closed += 1
	return closed


def resolved_tickets(since) -> tuple[list[Ticket], list[Ticket]]:
	"""(unsolved, solved): tickets resolved since `since` of every installed ticket doctype, those with
	no KM Article Link and those linked to a live article (`solved_by`)."""
	unsolved, solved = [], []
	live = set(frappe.get_all("KM Article", filters=lifecycle.live_article_filters(), pluck="name"))
	for doctype in ticket_types.installed():
		meta = frappe.get_meta(doctype)
		when = "resolution_date" if meta.has_field("resolution_date") else "modified"
		rows = frappe.get_all(
			doctype,
			filters={**ticket_types.resolved_filters(doctype), "modified": (">=", since)},
			fields=["name", "subject", "description", "modified", when],
			order_by="modified asc",
		)
		links = {}
		for link in frappe.get_all(
			"KM Article Link",
			filters={"ticket_doctype": doctype, "ticket": ("in", [r.name for r in rows] or [""])},
			fields=["ticket", "article"],
		):
			links.setdefault(link.ticket, set()).add(link.article)
		people = teams.handlers(doctype, [r.name for r in rows if r.name not in links])
		for row in rows:
			subject = " ".join(cstr(row.subject).split())
			text = f"{subject} {strip_noise(row.description)}".strip()[:TEXT_CHARS]
			if not text:
				continue
			ticket = Ticket(
				doctype,
				row.name,
				subject,
				text,
				detect_language(text),
				row.get(when) or row.modified,
				handlers=people.get(row.name, set()),
			)
			if row.name not in links:
				unsolved.append(ticket)
			elif links[row.name] & live:
				ticket.solved_by = sorted(links[row.name] & live)[0]
				solved.append(ticket)
	return unsolved, solved


def _embed(tickets: list[Ticket]) -> None:
	for ticket in tickets:
		ticket.vector = embedding.embed_query(ticket.text)


def _cover(tickets: list[Ticket]) -> None:
	"""Each ticket's nearest live article and how close it is (0 when there is none)."""
	try:
		store = engines.backend(engines.ARTICLES).vectors()
	except SearchBackendError:
		store = None
	if store is None:
		return
	found = {t.ref: store.nearest(t.vector, NEAREST) for t in tickets}
	ids = {a for hits in found.values() for a, _g, _c in hits}
	languages = dict(
		frappe.get_all(
			"KM Article",
			filters={"name": ("in", list(ids) or [""])},
			fields=["name", "language"],
			as_list=True,
		)
	)
	for ticket in tickets:
		best = max(
			(
				(comparable_cosine(c, languages.get(a) or "", ticket.language), a)
				for a, _g, c in found[ticket.ref]
			),
			default=(0.0, None),
		)
		ticket.nearest_cosine, ticket.nearest = best


def _twins(tickets: list[Ticket], solved: list[Ticket]) -> None:
	"""Each unsolved ticket's solved twin's article (the same problem, solved with a live article)."""
	found = clusters.solved_twins(
		[t.vector for t in tickets],
		[t.language for t in tickets],
		[t.vector for t in solved],
		[t.language for t in solved],
	)
	for ticket, twin in zip(tickets, found, strict=True):
		ticket.twin_article = solved[twin].solved_by if twin is not None else None


def _covered(group: list[Ticket]) -> bool:
	return clusters.is_covered(
		[t.nearest_cosine for t in group],
		[t.language for t in group],
		[t.twin_article for t in group],
		[t.nearest for t in group],
	)


def _covering_article(group: list[Ticket]) -> str | None:
	"""The article that covers a group: its solved twins' (agents used it), else the nearest."""
	for candidates in ([t.twin_article for t in group], [t.nearest for t in group]):
		found = Counter(a for a in candidates if a)
		if found:
			return found.most_common(1)[0][0]
	return None


def _linked_article(refs: set[str]) -> str | None:
	"""The article most of these tickets are linked to now, if most of them are."""
	articles = []
	for ref in refs:
		doctype, name = ticket_types.parse_ticket_ref(ref)
		articles += frappe.get_all(
			"KM Article Link", filters={"ticket_doctype": doctype, "ticket": name}, pluck="article", limit=1
		)
	if not articles:
		return None
	article, count = Counter(articles).most_common(1)[0]
	return article if 2 * count >= len(refs) else None


def _record(group: list[Ticket], name: str | None = None) -> None:
	"""Create the gap of a group (with its coach's ToDo), or bring a known one up to date."""
	leader = group[0]
	resolvers = Counter(user for t in group for user in t.handlers)
	category = frappe.db.get_value("KM Article", leader.nearest, "category") if leader.nearest else None
	gap = frappe.get_doc(GAP, name) if name else frappe.new_doc(GAP)
	if not name:
		gap.title = (leader.subject or leader.text)[:140]
		gap.category = category
		gap.coach = coach_for(category)
	gap.language = ", ".join(sorted({t.language for t in group}))
	gap.likely_author = resolvers.most_common(1)[0][0] if resolvers else None
	gap.resolvers = ", ".join(user for user, _n in resolvers.most_common())
	gap.nearest_article = leader.nearest
	gap.nearest_cosine = leader.nearest_cosine
	gap.resolution = _resolution(group)
	times = sorted(get_datetime(t.resolved_on) for t in group)
	gap.first_seen, gap.last_seen = times[0], times[-1]
	gap.ticket_count = len(group)
	gap.set("tickets", [])
	for t in sorted(group, key=lambda t: get_datetime(t.resolved_on), reverse=True):
		gap.append(
			"tickets",
			{
				"ticket_doctype": t.doctype,
				"ticket": t.name,
				"subject": t.subject[:140],
				"language": t.language,
				"resolved_by": ", ".join(sorted(t.handlers)),
				"resolved_on": t.resolved_on,
			},
		)
	gap.flags.ignore_permissions = True
	gap.save() if name else gap.insert()
	if not name and gap.coach:
		assign_to.add(
			{
				"assign_to": [gap.coach],
				"doctype": GAP,
				"name": gap.name,
				"description": _("Knowledge gap: {0} resolved tickets without an article, e.g. {1}").format(
					gap.ticket_count, escape_html(gap.title)
				),
			},
			ignore_permissions=True,
		)


def _resolution(group: list[Ticket]) -> str:
	"""The resolution most of the group's tickets share, redacted as capture redacts."""
	replies = []
	for t in group:
		doc = frappe.get_doc(t.doctype, t.name)
		personal = ticket_types.personal_data(doc)
		text = article_text(ticket_types.solving_reply(doc), personal["names"])
		if text:
			replies.append((text, doc, personal))
	if not replies:
		return ""
	best = clusters.most_common_text([r[0] for r in replies])
	text, _doc, personal = next(r for r in replies if r[0] == best)
	scrubbed, _removed = capture.scrubber(personal)(text)
	return "".join(f"<p>{escape_html(p)}</p>" for p in scrubbed.split("\n") if p.strip())


def _close(name: str, reason: str, article: str | None) -> None:
	gap = frappe.get_doc(GAP, name)
	gap.close(reason, article)


def coach_for(category: str | None) -> str | None:
	"""The KCS coach of a category: a Coach of the committee that covers it, else a user with the KM
	Coach role (the one with the fewest open gaps), else a KM Manager."""
	committee = committee_for(category, C.INTERNAL)
	if committee:
		for member in committee.members:
			if member.member_role == "Coach" and frappe.db.get_value("User", member.user, "enabled"):
				return member.user
	for role in (C.ROLE_COACH, C.ROLE_MANAGER):
		users = frappe.get_all(
			"User",
			filters={"enabled": 1, "name": ("in", _users_with(role) or [""])},
			pluck="name",
			order_by="name asc",
		)
		if users:
			load = Counter(
				frappe.get_all(GAP, filters={"status": OPEN, "coach": ("in", users)}, pluck="coach")
			)
			return min(users, key=lambda u: (load[u], u))
	return None


def _users_with(role: str) -> list[str]:
	return frappe.get_all("Has Role", filters={"role": role, "parenttype": "User"}, pluck="parent")

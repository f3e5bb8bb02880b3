"""Knowledge for a customer: the articles their tickets were solved with, and the articles about
the items they bought (Frappe glue). Callers filter the result by what the user may open."""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import frappe

from km_crm import constants as C
from km_crm.knowledge import lifecycle
from km_crm.relationships.organisations import Organisation
from km_crm.tickets import ticket_types

MAX_TICKETS = 500  # their newest tickets looked at
SALES_DOCTYPES = ("Sales Invoice", "Sales Order", "Delivery Note")


@dataclass
class Found:
	article: str
	tickets: int = 0  # of their tickets linked to it
	solved: int = 0  # of which it solved
	items: list[str] = field(default_factory=list)  # items they bought that it is about

	@property
	def rank(self) -> tuple:
		return (-self.solved, -self.tickets, -len(self.items), self.article)


def their_tickets(org: Organisation) -> list[tuple[str, str]]:
	out = []
	emails = sorted(org.contacts)
	for doctype in ticket_types.installed():
		names: set[str] = set()
		if emails:
			names.update(
				frappe.get_all(
					doctype,
					filters={"raised_by": ("in", emails)},
					pluck="name",
					order_by="creation desc",
					limit=MAX_TICKETS,
				)
			)
		if org.customers:
			names.update(
				frappe.get_all(
					doctype,
					filters={"customer": ("in", sorted(org.customers))},
					pluck="name",
					order_by="creation desc",
					limit=MAX_TICKETS,
				)
			)
		out += [(doctype, n) for n in sorted(names)]
	return out


def items_bought(org: Organisation) -> set[str]:
	if not org.customers:
		return set()
	items: set[str] = set()
	for doctype in SALES_DOCTYPES:
		parents = frappe.get_all(
			doctype, filters={"customer": ("in", sorted(org.customers)), "docstatus": 1}, pluck="name"
		)
		if parents:
			items.update(
				frappe.get_all(
					f"{doctype} Item",
					filters={"parenttype": doctype, "parent": ("in", parents)},
					pluck="item_code",
					distinct=True,
				)
			)
	return items


def articles_for(org: Organisation) -> list[Found]:
	"""Live articles for the organisation, the ones that solved most of its tickets first."""
	found: dict[str, Found] = {}
	by_doctype: dict[str, list[str]] = defaultdict(list)
	for doctype, name in their_tickets(org):
		by_doctype[doctype].append(name)
	for doctype, names in by_doctype.items():
		links = frappe.get_all(
			"KM Article Link",
			filters={"ticket_doctype": doctype, "ticket": ("in", names)},
			fields=["article", "ticket", "link_type"],
			ignore_permissions=True,
		)
		linked = Counter()
		solved = Counter()
		for link in {(x.article, x.ticket, x.link_type) for x in links}:
			linked[link[0]] += 1
			solved[link[0]] += link[2] == C.LINK_SOLVED
		for article, n in linked.items():
			f = found.setdefault(article, Found(article))
			f.tickets += n
			f.solved += solved[article]
	items = items_bought(org)
	if items:
		candidates = frappe.get_all(
			"KM Article Item",
			filters={"parenttype": "KM Article", "item": ("in", sorted(items))},
			pluck="parent",
			distinct=True,
		)
		# what the live version is about, not what a draft of the next one says
		for name, version in live_versions(candidates).items():
			about = sorted(set(_snapshot_items(version)) & items)
			if about:
				found.setdefault(name, Found(name)).items.extend(about)
	live = set(live_versions(list(found)))
	return sorted((f for f in found.values() if f.article in live), key=lambda f: f.rank)


def live_versions(articles: list[str]) -> dict[str, str]:
	"""{article: its live version} (lifecycle.live_article_filters)."""
	filters = {"name": ("in", articles or [""]), **lifecycle.live_article_filters()}
	return dict(
		frappe.get_all("KM Article", filters=filters, fields=["name", "published_version"], as_list=True)
	)


def _snapshot_items(version: str) -> list[str]:
	snapshot = frappe.cache.hget("km_crm:version_items", version)
	if snapshot is None:
		snapshot = (
			json.loads(frappe.db.get_value("KM Article Version", version, "snapshot") or "{}").get("items")
			or []
		)
		frappe.cache.hset("km_crm:version_items", version, snapshot)  # frozen: never changes
	return snapshot

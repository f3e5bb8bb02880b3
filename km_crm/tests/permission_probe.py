"""Permission probe: users of every kind ask every door Frappe and km_crm open for knowledge and
tickets, with randomized records, filters and words; anything answered that they may not see is a
leak.

	bench --site SITE execute km_crm.tests.permission_probe.run --kwargs "{'probes': 10000}"

Calls go the way an HTTP request goes (frappe.handler): the app's overrides of Frappe's endpoints,
the whitelist and its guest check, then the method with the request's arguments. The world
(km_crm/tests/probe_world.py) is built inside one transaction that is rolled back at the end, and
indexed into a throwaway index (as tests do), so the site is left as it was. Prints probes and leaks
per door and per user; returns the totals.

A leak is: a marker or record name the oracle forbids the user, anywhere in the answer or its error
message (the caller's own arguments are taken out first: echoing them tells nothing); a count above
what the user may list; an answer to a filter that matches only records they may not read that
differs from the answer to a filter that matches nothing (an oracle).
"""

import inspect
import json
import random
from collections import Counter
from unittest.mock import patch
from urllib.parse import quote, quote_plus

import frappe
from frappe.website.utils import clear_website_cache

from km_crm import constants as C
from km_crm.tests import probe_world
from km_crm.tests.probe_world import WORDS

ARTICLE_DOCTYPES = ("KM Article", "KM Article Version")
LISTED = (*ARTICLE_DOCTYPES, "KM Article Link", "KM Review", "KM Review Vote", "KM Audit Event")


def run(probes: int = 10_000, seed: int = 7, verbose: bool = True) -> dict:
	from km_crm.search import embedding
	from km_crm.tests import setup

	rng = random.Random(seed)
	previous_flag = frappe.flags.in_test
	frappe.flags.in_test = True
	test_run = setup.start()  # throwaway search indexes, indexing at once
	previous_embed = test_run.embed
	# the world's articles and tickets get their vectors, so searches run both halves (by meaning too)
	test_run.embed = embedding.available()
	# nothing the probe does may stay: e-mail sent at once (as in tests) commits its queue rows, and
	# search logs wait in a queue outside the database
	no_commit = patch.object(frappe.db, "commit")
	no_commit.start()
	no_logs = patch("frappe.deferred_insert.deferred_insert")
	no_logs.start()
	no_mail = patch("frappe.sendmail")  # notifications are recorded, not mailed (a site may have no outbox)
	no_mail.start()
	try:
		world = probe_world.build(rng)
		result = Probe(world, rng).run(probes)
	finally:
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()
		frappe.db.rollback()
		no_commit.stop()
		no_logs.stop()
		no_mail.stop()
		clear_website_cache()  # pages and 404s of the world's articles, gone with it
		frappe.flags.in_test = previous_flag
		test_run.embed = previous_embed
		frappe.clear_document_cache("KM Settings", "KM Settings")
	if verbose:
		report(result)
	return {"probes": result["probes"], "leaks": result["leaks"], "by_door": result["by_door"]}


def report(result: dict) -> None:
	print(f"permission probe: {result['probes']} probes, {result['leaks']} leaks")
	print(f"  {'door':<34} {'probes':>7} {'leaks':>6}")
	for door, n in sorted(result["by_door"].items()):
		print(f"  {door:<34} {n:>7} {result['leaks_by_door'].get(door, 0):>6}")
	print(f"  {'user':<34} {'probes':>7} {'leaks':>6}")
	for label, n in sorted(result["by_user"].items()):
		print(f"  {label:<34} {n:>7} {result['leaks_by_user'].get(label, 0):>6}")
	for leak in result["examples"]:
		print("  LEAK", leak)


def respond(cmd: str, **kwargs) -> dict:
	"""What an HTTP request to `cmd` answers: its message and what it put in the response (getdoc
	sends its documents and their docinfo that way)."""
	frappe.local.response = frappe._dict({"docs": []})  # as frappe.init leaves it for a request
	message = call(cmd, **kwargs)
	extra = {k: v for k, v in frappe.local.response.items() if k != "message"}
	frappe.local.response = frappe._dict()
	return json.loads(frappe.as_json({"message": message, **extra}))  # documents as the client gets them


def call(cmd: str, **kwargs):
	"""Call a whitelisted method as an HTTP request would (frappe.handler.execute_cmd)."""
	for hook in reversed(frappe.get_hooks("override_whitelisted_methods", {}).get(cmd, [])):
		cmd = hook
		break
	method = frappe.get_attr(cmd)
	frappe.local.form_dict = frappe._dict(kwargs)
	frappe.is_whitelisted(method)
	return frappe.call(method, **frappe.local.form_dict)


class Probe:
	def __init__(self, world: probe_world.World, rng: random.Random):
		self.world = world
		self.rng = rng
		self.sights = {label: probe_world.sight(world, user) for label, user in world.users.items()}
		self.markers = [m for a in world.articles.values() for m in a.markers.values()] + list(
			world.tickets.values()
		)
		self.doors = {
			name[len("door_") :]: getattr(self, name) for name in dir(self) if name.startswith("door_")
		}
		self.app_methods = _app_read_methods()

	def run(self, probes: int) -> dict:
		by_door, leaks_by_door, by_user, leaks_by_user = Counter(), Counter(), Counter(), Counter()
		examples, total, leaks = [], 0, 0
		doors = sorted(self.doors)
		labels = sorted(self.world.users)
		for i in range(probes):
			door = doors[i % len(doors)] if i < len(doors) * len(labels) else self.rng.choice(doors)
			label = labels[(i // len(doors)) % len(labels)] if i < len(doors) * len(labels) else None
			label = label or self.rng.choice(labels)
			user = self.world.users[label]
			frappe.set_user(user)
			try:
				bad, what = self.doors[door](self.sights[label])
			finally:
				frappe.set_user("Administrator")
			total += 1
			by_door[door] += 1
			by_user[label] += 1
			if bad:
				leaks += 1
				leaks_by_door[door] += 1
				leaks_by_user[label] += 1
				if len(examples) < 20:
					examples.append(
						(door, label, what, [probe_world.describe(self.world, b) for b in sorted(bad)[:3]])
					)
		return {
			"probes": total,
			"leaks": leaks,
			"by_door": by_door,
			"leaks_by_door": leaks_by_door,
			"by_user": by_user,
			"leaks_by_user": leaks_by_user,
			"examples": examples,
		}

	# -- helpers --------------------------------------------------------------------------------------

	def ask(self, s: probe_world.Sight, cmd: str, **kwargs) -> tuple[list[str], str]:
		"""(leaks, what was asked) for one call: the answer and any error message are scanned."""
		frappe.local.message_log = []
		try:
			answer = respond(cmd, **kwargs)
			outcome = ""
		except Exception as exc:
			answer = None
			outcome = f"{type(exc).__name__}: {exc} {frappe.flags.error_message or ''}"
			frappe.flags.error_message = None
		text = json.dumps(answer, default=str) + outcome + json.dumps(frappe.local.message_log, default=str)
		frappe.local.message_log = []
		for value in _strings(kwargs):
			text = text.replace(value, "")
		return probe_world.leaks(s, text), f"{cmd} {json.dumps(kwargs, default=str)[:160]}"

	def outcome(self, cmd: str, **kwargs) -> str:
		"""What a caller can tell from an answer: its kind, or the error's kind."""
		frappe.local.message_log = []
		try:
			answer = respond(cmd, **kwargs)
			return "answer" if answer["message"] or len(answer) > 1 else "empty"
		except Exception as exc:
			return type(exc).__name__
		finally:
			frappe.local.message_log = []
			frappe.flags.error_message = None

	def article(self) -> str:
		return self.rng.choice(list(self.world.articles))

	def words(self) -> str:
		words = self.rng.sample(WORDS, self.rng.randint(1, 3))
		if self.rng.random() < 0.5:
			words.append(self.rng.choice(self.markers))
		return " ".join(words)

	def filters(self, doctype: str) -> list:
		title = "article_title" if doctype in ("KM Article Link", "KM Review") else "title"
		choices = [
			[],
			[[doctype, title, "like", f"%{self.rng.choice(self.markers)}%"]],
			[[doctype, title, "like", f"%{self.rng.choice(WORDS)}%"]],
		]
		if doctype in ARTICLE_DOCTYPES:
			choices.append([[doctype, "audience", "=", self.rng.choice(C.AUDIENCES)]])
		if doctype == "KM Article":
			choices.append([[doctype, "status", "=", self.rng.choice(C.STATUSES)]])
		return self.rng.choice(choices)

	# -- doors: REST and desk lists ---------------------------------------------------------------------

	def door_rest_list(self, s):
		doctype = self.rng.choice(LISTED)
		return self.ask(
			s,
			"frappe.client.get_list",
			doctype=doctype,
			fields=json.dumps(["*"]),
			filters=json.dumps(self.filters(doctype)),
			limit_page_length=0,
		)

	def door_reportview(self, s):
		doctype = self.rng.choice(LISTED)
		return self.ask(
			s,
			self.rng.choice(["frappe.desk.reportview.get", "frappe.desk.reportview.get_list"]),
			doctype=doctype,
			fields=json.dumps([f"`tab{doctype}`.`name`", f"`tab{doctype}`.`modified`"]),
			filters=json.dumps(self.filters(doctype)),
		)

	def door_counts(self, s):
		doctype = self.rng.choice(LISTED)
		filters = self.filters(doctype)
		bad, what = self.ask(s, "frappe.client.get_count", doctype=doctype, filters=json.dumps(filters))
		count = self._quiet(
			lambda: call("frappe.client.get_count", doctype=doctype, filters=json.dumps(filters))
		)
		if isinstance(count, int) and count > self._may_list(s, doctype, filters):
			bad.append(f"count {count}")
		return bad, what

	def door_group_by_count(self, s):
		doctype = self.rng.choice(("KM Article", "KM Review", "KM Article Version"))
		field = self.rng.choice(["assigned_to", "owner", "audience" if doctype != "KM Review" else "status"])
		filters = self.filters(doctype)
		args = {"doctype": doctype, "current_filters": json.dumps(filters), "field": field}
		bad, what = self.ask(s, "frappe.desk.listview.get_group_by_count", **args)
		rows = self._quiet(lambda: call("frappe.desk.listview.get_group_by_count", **args)) or []
		counted = sum(int(r.get("count") or 0) for r in rows) if field != "assigned_to" else 0
		if field == "assigned_to" and rows and self._may_list(s, doctype, filters) == 0:
			bad.append(f"assigned_to counts {rows[:2]}")
		elif counted > self._may_list(s, doctype, filters):
			bad.append(f"group-by count {counted}")
		return bad, what

	def door_sidebar_stats(self, s):
		doctype = self.rng.choice(ARTICLE_DOCTYPES)
		return self.ask(
			s,
			"frappe.desk.reportview.get_sidebar_stats",
			stats=json.dumps(["_user_tags"]),
			doctype=doctype,
			filters=json.dumps(self.filters(doctype)),
		)

	def door_link_search(self, s):
		return self.ask(
			s,
			"frappe.desk.search.search_link",
			doctype=self.rng.choice((*ARTICLE_DOCTYPES, "KM Review")),
			txt=self.rng.choice(self.markers + WORDS),
		)

	def door_child_table(self, s):
		child, parent = self.rng.choice(
			[
				("KM Article Item", "KM Article"),
				("KM Committee Member", "KM Committee"),
				("KM Expert Skill", "KM Expert Profile"),
			]
		)
		return self.ask(
			s,
			"frappe.client.get_list",
			doctype=child,
			parent=parent,
			fields=json.dumps(["parent", "name"]),
			limit_page_length=0,
		)

	# -- doors: one record ------------------------------------------------------------------------------

	def door_get_doc(self, s):
		a = self.world.articles[self.article()]
		doctype, name = self.rng.choice(
			[("KM Article", a.name)] + [("KM Article Version", v) for v in a.versions or [a.name]]
		)
		return self.ask(s, "frappe.client.get", doctype=doctype, name=name)

	def door_getdoc_docinfo(self, s):
		a = self.world.articles[self.article()]
		doctype, name = self.rng.choice(
			[("KM Article", a.name)] + [("KM Article Version", v) for v in a.versions or [a.name]]
		)
		if self.rng.random() < 0.5:
			return self.ask(s, "frappe.desk.form.load.getdoc", doctype=doctype, name=name)
		return self.ask(s, "frappe.desk.form.load.get_docinfo", doctype=doctype, name=name)

	def door_get_value(self, s):
		doctype = self.rng.choice(ARTICLE_DOCTYPES)
		return self.ask(
			s,
			"frappe.client.get_value",
			doctype=doctype,
			fieldname=json.dumps(["name", "title"]),
			filters=json.dumps(self.filters(doctype) or {"name": self.article()}),
		)

	def door_filter_oracle(self, s):
		"""A filter that matches only records the user may not read must answer as one that matches
		nothing."""
		doctype = self.rng.choice((*ARTICLE_DOCTYPES, "KM Review"))
		field = "article_title" if doctype == "KM Review" else "title"
		word = self.rng.choice(self.markers)
		probe = self.outcome(
			"frappe.client.get", doctype=doctype, filters=json.dumps({field: ["like", f"%{word}%"]})
		)
		control = self.outcome(
			"frappe.client.get", doctype=doctype, filters=json.dumps({field: ["like", "%zqnomatchzq%"]})
		)
		bad, what = self.ask(
			s, "frappe.client.get", doctype=doctype, filters=json.dumps({field: ["like", f"%{word}%"]})
		)
		if probe != control and self._may_list(s, doctype, [[doctype, field, "like", f"%{word}%"]]) == 0:
			bad.append(f"oracle: {probe} vs {control}")
		return bad, what

	def door_linked_docs(self, s):
		issue = self.rng.choice([name for (_dt, name) in self.world.tickets])
		return self.ask(
			s,
			"frappe.desk.form.linked_with.get_linked_docs",
			doctype="Issue",
			name=issue,
			linkinfo=json.dumps(
				{"KM Article Link": {"fieldname": ["ticket"], "add_fields": ["article_title"]}}
			),
		)

	def door_rest_read_expanded(self, s):
		"""GET /api/resource/<doctype>/<name>?expand_links=1: REST's read, after the app's request hooks."""
		from frappe.api.v1 import read_doc
		from frappe.utils import set_request

		a = self.world.articles[self.article()]
		doctype, name = self.rng.choice(
			[("KM Article Version", v) for v in a.versions or [a.name]]
			+ [
				("KM Article Link", n)
				for n in frappe.get_all("KM Article Link", {"article": a.name}, pluck="name")
			]
		)
		frappe.local.form_dict = frappe._dict(expand_links="1")
		set_request(
			method="GET",
			path=f"/api/resource/{quote(doctype)}/{quote(name)}",
			query_string={"expand_links": 1},
		)
		frappe.local.message_log = []
		try:
			for hook in frappe.get_hooks("before_request"):
				frappe.call(hook)
			text = frappe.as_json(read_doc(doctype, name))
		except Exception as exc:
			text = f"{type(exc).__name__}: {exc}"
		finally:
			del frappe.local.request
		return probe_world.leaks(
			s, text.replace(name, "")
		), f"GET /api/resource/{doctype}/{name}?expand_links=1"

	def door_charts(self, s):
		"""Counts over filters the caller chooses: a heatmap chart, a goal graph, a form's open counts."""
		doctype = self.rng.choice((*ARTICLE_DOCTYPES, "KM Review"))
		field = "article_title" if doctype == "KM Review" else "title"
		filters = [[doctype, field, "like", f"%{self.rng.choice(self.markers)}%"]]
		kind = self.rng.randrange(3)
		if kind == 0:
			chart = {
				"type": "Heatmap",
				"chart_type": "Count",
				"document_type": doctype,
				"based_on": "creation",
			}
			args = {"chart": json.dumps(chart), "no_cache": 1, "filters": json.dumps(filters)}
			cmd = "frappe.desk.doctype.dashboard_chart.dashboard_chart.get"
		elif kind == 1:
			version = self.rng.choice(self.world.versions)
			args = {
				"title": "x",
				"doctype": "KM Article Version",
				"docname": version,
				"goal_value_field": "version",
				"goal_total_field": "version",
				"goal_history_field": "version",
				"goal_doctype": doctype,
				"goal_doctype_link": "name",
				"goal_field": "name",
				"date_field": "creation",
				"aggregation": "count",
				"filters": json.dumps(filters),
			}
			cmd = "frappe.utils.goal.get_monthly_goal_graph_data"
		else:
			issue = self.rng.choice([name for (_dt, name) in self.world.tickets])
			args = {"doctype": "Issue", "name": issue, "items": json.dumps(["KM Article Link", "KM Article"])}
			cmd = "frappe.desk.notifications.get_open_count"
		bad, what = self.ask(s, cmd, **args)
		answer = self._quiet(lambda: respond(cmd, **args))
		if answer and not s.editor and _counts_something(answer, kind, filters, self, s, doctype):
			bad.append(f"counts: {json.dumps(answer)[:120]}")
		return bad, what

	# -- doors: tags and history ------------------------------------------------------------------------

	def door_tags(self, s):
		choice = self.rng.randrange(4)
		if choice == 0:
			return self.ask(
				s, "frappe.client.get_list", doctype="Tag Link", fields=json.dumps(["*"]), limit_page_length=0
			)
		if choice == 1:
			return self.ask(
				s, "frappe.desk.doctype.tag.tag.get_documents_for_tag", tag=f"#{probe_world.PROBE_TAG}"
			)
		if choice == 2:
			return self.ask(
				s,
				"frappe.desk.doctype.tag.tag.get_tagged_docs",
				doctype=self.rng.choice(ARTICLE_DOCTYPES),
				tag=f"%{probe_world.PROBE_TAG}%",
			)
		return self.ask(s, "frappe.desk.doctype.tag.tag.get_tags", doctype="KM Article", txt="km")

	def door_history_records(self, s):
		doctype = self.rng.choice(["Version", "Comment", "ToDo", "Notification Log", "Energy Point Log"])
		ref = "ref_doctype" if doctype == "Version" else "reference_doctype"
		if doctype in ("ToDo", "Notification Log"):
			ref = "reference_type" if doctype == "ToDo" else "document_type"
		return self.ask(
			s,
			"frappe.client.get_list",
			doctype=doctype,
			fields=json.dumps(["*"]),
			filters=json.dumps({ref: ("in", ["KM Article", "KM Review"])}),
			limit_page_length=0,
		)

	def door_global_search(self, s):
		return self.ask(s, "frappe.utils.global_search.search", text=self.rng.choice(self.markers), limit=50)

	# -- doors: km_crm ----------------------------------------------------------------------------------

	def door_km_versions_history(self, s):
		a = self.world.articles[self.article()]
		cmd = self.rng.choice(["get_versions", "get_history", "compare_versions"])
		args = {"article": a.name}
		if cmd == "compare_versions":
			versions = a.versions or ["working"]
			args |= {
				"from_version": self.rng.choice(versions),
				"to_version": self.rng.choice([*versions, "working"]),
			}
		return self.ask(s, f"km_crm.api.articles.{cmd}", **args)

	def door_km_search(self, s):
		return self.ask(s, "km_crm.api.search.search", query=self.words(), limit=20)

	def door_km_ticket_panel(self, s):
		issue = self.rng.choice([self.world.open_issue] + [name for (_dt, name) in self.world.tickets])
		if self.rng.random() < 0.7:
			return self.ask(
				s,
				"km_crm.api.tickets.suggest",
				ticket_doctype="Issue",
				ticket=issue,
				query=self.words(),
				limit=20,
			)
		return self.ask(
			s, "km_crm.api.tickets.reply_text", ticket_doctype="Issue", ticket=issue, article=self.article()
		)

	def door_km_customer_panels(self, s):
		cmd = self.rng.choice(["who_knows", "knowledge"])
		return self.ask(s, f"km_crm.api.customers.{cmd}", doctype="Customer", name=self.world.customer)

	def door_km_experts(self, s):
		if self.rng.random() < 0.5:
			return self.ask(s, "km_crm.api.experts.for_question", question=self.words())
		issue = self.rng.choice([name for (_dt, name) in self.world.tickets])
		return self.ask(s, "km_crm.api.experts.for_ticket", ticket_doctype="Issue", ticket=issue)

	def door_km_every_method(self, s):
		"""Every whitelisted read of km_crm, with arguments drawn from the world."""
		cmd, params = self.rng.choice(self.app_methods)
		return self.ask(s, cmd, **{p: self._argument(p) for p in params})

	def door_portal_pages(self, s):
		a = self.world.articles[self.article()]
		path = self.rng.choice(
			[f"knowledge/{a.name}", f"knowledge/search?q={self.words()}", "knowledge", f"knowledge/{a.name}"]
		)
		return self.ask_page(s, path)

	def ask_page(self, s, path: str):
		"""A portal page as the visitor's browser gets it (the requested address taken out)."""
		from frappe.utils import set_request
		from frappe.website.serve import get_response

		route, _sep, query = path.partition("?")
		args = {"q": query[2:]} if query else {}
		frappe.local.form_dict = frappe._dict(args)
		frappe.local.message_log = []
		set_request(method="GET", path=f"/{route}", query_string=args)
		try:
			text = frappe.safe_decode(get_response().get_data())
		except Exception as exc:
			text = f"{type(exc).__name__}: {exc}"
		finally:
			del frappe.local.request
		for value in (route, *args.values()):
			for form in {value, frappe.utils.escape_html(value), quote(value), quote_plus(value)}:
				text = text.replace(form, "")
		return probe_world.leaks(s, text), path

	# -- oracle helpers ---------------------------------------------------------------------------------

	def _may_list(self, s: probe_world.Sight, doctype: str, filters) -> int:
		"""How many records matching `filters` the oracle lets this user list."""
		names = set(frappe.get_all(doctype, filters=filters, pluck="name"))
		if s.editor:
			return len(names)
		if doctype == "KM Article Version":
			return len(names & _live_versions(s.audiences))
		if doctype == "KM Article Link" and s.reads_links:
			live = set(_live_versions(C.AUDIENCES, articles=True))
			return len([n for n in names if frappe.db.get_value(doctype, n, "article") in live])
		return 0

	def _quiet(self, fn):
		try:
			return fn()
		except Exception:
			return None
		finally:
			frappe.local.message_log = []

	def _argument(self, name: str):
		rng, w = self.rng, self.world
		a = w.articles[self.article()]
		generators = {
			"article": lambda: a.name,
			"version": lambda: rng.choice(a.versions or [a.name]),
			"from_version": lambda: rng.choice(a.versions or ["working"]),
			"to_version": lambda: rng.choice((a.versions or []) + ["working"]),
			"ticket_doctype": lambda: "Issue",
			"ticket": lambda: rng.choice([name for (_dt, name) in w.tickets]),
			"review": lambda: rng.choice(w.reviews),
			"doctype": lambda: "Customer",
			"name": lambda: w.customer,
			"profile": lambda: frappe.db.get_value("KM Expert Profile", {}, "name") or "x",
		}
		if name in generators:
			return generators[name]()
		return self.words()


def _app_read_methods() -> list[tuple[str, list[str]]]:
	"""km_crm's whitelisted methods a GET may call, with their required parameters (every module
	that whitelists one is imported first: Frappe learns of a method when its module is imported)."""
	import importlib
	from pathlib import Path

	root = Path(frappe.get_app_path("km_crm"))
	for path in root.rglob("*.py"):
		if "tests" not in path.parts and "frappe.whitelist(" in path.read_text(encoding="utf-8"):
			importlib.import_module(".".join(("km_crm", *path.relative_to(root).with_suffix("").parts)))
	out = []
	for fn in frappe.whitelisted:
		module = getattr(fn, "__module__", "") or ""
		if not module.startswith("km_crm.") or ".tests." in module:
			continue
		if "GET" not in frappe.allowed_http_methods_for_whitelisted_func.get(fn, ["GET"]):
			continue
		params = [
			p.name
			for p in inspect.signature(fn).parameters.values()
			if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
		]
		out.append((f"{module}.{fn.__name__}", params))
	return sorted(out)


def _counts_something(answer: dict, kind: int, filters, probe: "Probe", s, doctype: str) -> bool:
	"""Does a chart's answer count more records than the user may list?"""
	message = answer.get("message") or {}
	if kind == 0:
		counted = sum((message.get("dataPoints") or {}).values())
		return counted > probe._may_list(s, doctype, filters)
	if kind == 1:
		values = [v for d in (message.get("data") or {}).get("datasets", []) for v in d.get("values", [])]
		return sum(float(v or 0) for v in values) > probe._may_list(s, doctype, filters)
	found = (message.get("count") or {}) if isinstance(message, dict) else {}
	rows = [*found.get("external_links_found", []), *found.get("internal_links_found", [])]
	return any(r.get("doctype") in ("KM Article", "KM Article Link") and r.get("count") for r in rows)


def _live_versions(audiences, articles: bool = False) -> set[str]:
	"""Live versions of these audiences (or, with `articles`, their articles), from the records."""
	version = frappe.qb.DocType("KM Article Version")
	article = frappe.qb.DocType("KM Article")
	rows = (
		frappe.qb.from_(article)
		.join(version)
		.on(version.name == article.published_version)
		.select(article.name, version.name.as_("version"))
		.where(version.audience.isin(list(audiences)))
		.run(as_dict=True)
	)
	return {row.name if articles else row.version for row in rows}


def _strings(value) -> list[str]:
	if isinstance(value, str):
		return [value] + [v for v in (value.strip("%#"),) if v]
	if isinstance(value, dict):
		return [s for v in value.values() for s in _strings(v)]
	if isinstance(value, list | tuple):
		return [s for v in value for s in _strings(v)]
	return []

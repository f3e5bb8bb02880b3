"""The Knowledge workspace's cards: each row holds the cards of one readership (Frappe hides a card from
who may not read its document type, so a mixed row would show a hole), the charts name their period,
and the cards count what they say."""

import json

import frappe
from frappe.utils import flt, today

from km_crm import constants as C
from km_crm.roi import cards
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_user


def _rows(blocks: list[dict]) -> list[list[dict]]:
	"""The workspace's rows of cards and charts, as the page lays them out (12 columns a row)."""
	rows, row, width = [], [], 0
	for block in blocks:
		if block["type"] not in ("number_card", "chart"):
			if row:
				rows.append(row)
			row, width = [], 0
			continue
		if width + int(block["data"]["col"]) > 12:
			rows.append(row)
			row, width = [], 0
		row.append(block)
		width += int(block["data"]["col"])
	if row:
		rows.append(row)
	return rows


def _reader_roles(doctype: str) -> set[str]:
	return {p.role for p in frappe.get_meta(doctype).permissions if p.read and not p.permlevel}


class TestWorkspaceCards(KMTestCase):
	def setUp(self):
		super().setUp()
		self.workspace = frappe.get_doc("Workspace", "Knowledge")

	def readers(self, block: dict) -> frozenset:
		"""The roles Frappe shows the card or chart to: its document type's readers, or the chart's
		roles (System Manager sees every one)."""
		if block["type"] == "number_card":
			name = next(
				c.number_card_name
				for c in self.workspace.number_cards
				if c.label == block["data"]["number_card_name"]
			)
			roles = _reader_roles(frappe.db.get_value("Number Card", name, "document_type"))
		else:
			name = next(c.chart_name for c in self.workspace.charts if c.label == block["data"]["chart_name"])
			chart = frappe.get_doc("Dashboard Chart", name)
			roles = {r.role for r in chart.roles} or _reader_roles(chart.document_type)
		return frozenset(roles - {"System Manager", "Administrator"})

	def test_every_row_is_whole_and_of_one_readership(self):
		rows = _rows(json.loads(self.workspace.content))
		self.assertGreaterEqual(len(rows), 4)
		for row in rows:
			self.assertEqual(sum(int(b["data"]["col"]) for b in row), 12, row)
			self.assertEqual(len({self.readers(b) for b in row}), 1, row)

	def test_the_agent_sees_one_row_of_cards_and_no_manager_figure(self):
		agent = make_user("workspace-agent", "Support Team", C.ROLE_CANDIDATE)
		with as_user(agent):
			from frappe.desk.desktop import get_desktop_page

			page = get_desktop_page(json.dumps({"name": "Knowledge", "title": "Knowledge"}))
		shown = {c.label for c in page["number_cards"]["items"]}
		self.assertEqual(shown, {"Live Articles", "Link Rate (30 Days)", "Reviews Overdue"})
		self.assertEqual(page["charts"]["items"], [])

	def test_charts_say_their_period(self):
		labels = {c.label for c in self.workspace.charts}
		self.assertEqual(
			labels, {"Article Links per Week (Last 3 Months)", "Self-Service Outcomes (This Month)"}
		)
		outcomes = json.loads(frappe.db.get_value("Dashboard Chart", "Self-Service Outcomes", "filters_json"))
		self.assertEqual(outcomes[0][2:4], ["Timespan", "this month"])  # as the cards beside it

	def test_programme_costs_this_month_count_this_months_entries(self):
		before = cards.costs_this_month()["value"]
		frappe.get_doc(
			{
				"doctype": "KM Program Cost",
				"posting_date": today(),
				"category": "Tooling",
				"company": frappe.db.get_value("Company", {}, "name"),
				"description": "Search hosting",
				"amount": 40,
			}
		).insert()
		self.assertEqual(flt(cards.costs_this_month()["value"] - before, 2), 40.0)
		agent = make_user("workspace-agent", "Support Team", C.ROLE_CANDIDATE)
		with as_user(agent), self.assertRaises(frappe.PermissionError):
			cards.costs_this_month()
		with as_user(agent):
			self.assertEqual(cards.link_rate()["fieldtype"], "Percent")  # a knowledge worker's card

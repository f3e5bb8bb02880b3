"""A knowledge manager reads the Knowledge workspace and the reports; an agent who reads Chinese sees the workspace without holes.

Seeded by km_crm.tests.journey_seed_manager: a support agent with the demo agent's roles and Chinese
as language. Administrator sees every card, in rows that fill the page, and charts that name their
period (the self-service outcomes of this month, beside the cards of this month); the agent sees the
cards of knowledge workers in one full row, in Chinese, and nothing of self-service or money. KCS
Metrics says "k of n agents" and "k of n articles first published"; Knowledge ROI calls the hours
saved resolution hours and defines them; Self-Service Deflection names articles by title and defines
"Still in Their Window"; an empty Knowledge Gaps and Content Quality say what feeds them.
"""

import re

from browser_support import bench_json, expect, signed_in_page

SEED = "km_crm.tests.journey_seed_manager.seed"
ADMIN = {"user": "Administrator", "password": "admin"}
QUIET = "from_date=1991-02-01&to_date=1991-02-28"  # a month with nothing in it

TEXTS = "(elements) => elements.map((e) => (e.textContent || '').trim())"
# every card shows its title and a figure (not "Loading..."), every chart has drawn
READY = """() => {
	const cards = [...document.querySelectorAll('.number-widget-box')];
	const charts = [...document.querySelectorAll('.dashboard-widget-box')];
	return cards.length > 0
		&& cards.every((w) => w.querySelector('.widget-title').textContent.trim()
			&& w.querySelector('.widget-body').textContent.trim()
			&& !/Loading|加载/.test(w.textContent))
		&& charts.every((c) => c.querySelector('.chart-container svg'));
}"""
ROWS = """() => {
	const blocks = [...document.querySelectorAll('.codex-editor .ce-block')]
		.filter((b) => b.querySelector('.number-widget-box, .dashboard-widget-box'));
	const container = document.querySelector('.codex-editor .ce-block').parentElement.getBoundingClientRect();
	const rows = {};
	for (const b of blocks) {
		const r = b.getBoundingClientRect();
		(rows[Math.round(r.y)] = rows[Math.round(r.y)] || []).push([r.x, r.x + r.width]);
	}
	return { right: container.x + container.width, left: container.x, rows: Object.values(rows) };
}"""


def run(check, browser, base: str, bench_dir: str, site: str) -> None:
	seed = bench_json(bench_dir, site, SEED)
	admin_steps(check, browser, base)
	agent_steps(check, browser, base, seed)


def _workspace(page, base: str) -> dict:
	page.goto(f"{base}/app/knowledge")
	page.locator(".number-widget-box").first.wait_for(timeout=30_000)
	page.wait_for_function(READY, timeout=30_000)
	layout = page.evaluate(ROWS)
	for row in layout["rows"]:  # every row of cards and charts reaches from edge to edge: no hole
		left, right = min(x for x, _ in row), max(x for _, x in row)
		expect(
			abs(left - layout["left"]) < 4 and abs(right - layout["right"]) < 4,
			f"a row of cards leaves a hole: {row} in {layout['left']}..{layout['right']}",
		)
	return layout


def admin_steps(check, browser, base: str) -> None:
	page = signed_in_page(browser, base, ADMIN)

	def every_card_in_full_rows_and_periods_named():
		layout = _workspace(page, base)
		cards = page.locator(".number-widget-box").evaluate_all(TEXTS)
		expect(len(cards) == 7, f"{len(cards)} cards: {cards}")
		expect(len(layout["rows"]) == 5, f"cards and charts in {len(layout['rows'])} rows")
		titles = " ".join(page.locator(".dashboard-widget-box .widget-title").evaluate_all(TEXTS))
		expect("Self-Service Outcomes (This Month)" in titles, f"chart titles: {titles}")
		expect("Article Links per Week (Last 3 Months)" in titles, f"chart titles: {titles}")
		page.set_viewport_size({"width": 1440, "height": 1900})
		page.wait_for_timeout(1500)
		labels = page.locator(".dashboard-widget-box .chart-container text").evaluate_all(TEXTS)
		expect(not any(label.endswith("...") for label in labels), f"truncated chart labels: {labels}")

	def kcs_metrics_say_k_of_n():
		page.goto(f"{base}/app/query-report/KCS Metrics")
		page.locator(".dt-row").nth(3).wait_for(timeout=30_000)
		text = page.locator(".layout-main-section").inner_text()
		expect(re.search(r"\d+ of \d+ agents", text), "participation does not say k of n agents")
		expect(
			re.search(r"\d+ of \d+ articles first published", text),
			"published within a day has no basis",
		)
		expect("from the article's first submission for review" in text, "time to publish undefined")

	def roi_names_resolution_hours():
		page.goto(f"{base}/app/query-report/Knowledge ROI")
		page.locator(".dt-row").first.wait_for(timeout=30_000)
		text = page.locator(".layout-main-section").inner_text()
		expect("Resolution Hours Saved per Ticket are elapsed hours" in text, "hours saved undefined")
		headers = page.locator(".dt-header .dt-cell__content").all_inner_texts()
		expect("Resolution Hours Saved per Ticket" in " ".join(headers), f"the columns read {headers}")

	def deflection_names_articles_by_title():
		page.goto(f"{base}/app/query-report/Self-Service Deflection?from_date=2026-01-01")
		page.locator(".chart-wrapper .chart-container").wait_for(timeout=30_000)
		labels = page.locator(".chart-wrapper .x.axis text").evaluate_all(TEXTS)
		expect(labels and not any(re.fullmatch(r"KB-\d+", x.strip()) for x in labels), f"labels {labels}")
		legend = page.locator(".chart-wrapper .legend-dataset-label").evaluate_all(TEXTS)
		expect(legend and not any(x.endswith("...") for x in legend), f"legend {legend}")
		text = page.locator(".layout-main-section").inner_text()
		expect("Still in Their Window: sessions whose window has not passed yet" in text, "undefined")

	def empty_reports_say_what_feeds_them():
		page.goto(f"{base}/app/query-report/Knowledge Gaps?{QUIET}")
		page.get_by_text("No search was logged in this period").wait_for(timeout=30_000)
		expect(page.get_by_text("every 15 minutes").count() == 1, "Knowledge Gaps does not say what feeds it")
		page.goto(f"{base}/app/query-report/Content Quality?{QUIET}")
		page.get_by_text("No quality check was completed in this period").wait_for(timeout=30_000)
		expect(
			page.get_by_text("quality_sampling.sample_last_month").count() == 1,
			"Content Quality does not say how to start",
		)

	check.step(
		"manager_workspace_full_rows_and_named_periods", page, every_card_in_full_rows_and_periods_named
	)
	page.set_viewport_size({"width": 1440, "height": 900})
	check.step("manager_kcs_metrics_k_of_n", page, kcs_metrics_say_k_of_n)
	check.step("manager_roi_resolution_hours", page, roi_names_resolution_hours)
	check.step("manager_deflection_titles_and_window", page, deflection_names_articles_by_title)
	check.step("manager_empty_reports_explain_themselves", page, empty_reports_say_what_feeds_them)
	page.context.close()


def agent_steps(check, browser, base: str, seed: dict) -> None:
	page = signed_in_page(browser, base, {"user": seed["agent_zh"], "password": seed["password"]})

	def workspace_without_holes():
		layout = _workspace(page, base)
		cards = page.locator(".number-widget-box").evaluate_all(TEXTS)
		expect(len(cards) == 3 and len(layout["rows"]) == 1, f"the agent sees {cards}")
		text = " ".join(cards)
		expect("已上线文章" in text and "逾期审核" in text, f"the cards are not in Chinese: {text}")
		expect(page.locator(".dashboard-widget-box").count() == 0, "the agent sees a manager's chart")

	check.step("agent_zh_workspace_without_holes", page, workspace_without_holes)
	page.context.close()

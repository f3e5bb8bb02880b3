"""An agent finds the answer on page 3 of a manual attached to an article, and opens the manual there.

Seeded by km_crm.tests.journey_seed_documents: a live Internal article with a PDF manual whose third
page alone holds the answer. The demo agent searches those words on the desk's Knowledge Search: the
article comes first, its snippet from page 3 and "Found in Cash-Drawer-Manual.pdf, page 3" under it;
following that opens the PDF (served inline) at page 3 in a new tab. With search by meaning, the
agent's Chinese question (no word in common with the English manual) finds the same page.
"""

from browser_support import bench_json, expect, signed_in_page

SEED = "km_crm.tests.journey_seed_documents.seed"


def run(check, browser, base: str, bench_dir: str, site: str) -> None:
	seed = bench_json(bench_dir, site, SEED)
	page = signed_in_page(browser, base, seed["agent"])
	label = f"Found in {seed['file_name']}, page {seed['page']}"

	def finds_the_page_in_the_manual():
		page.goto(f"{base}/app/knowledge-search?q={seed['query'].replace(' ', '%20')}")
		page.wait_for_selector(".km-result", timeout=30_000)
		first = page.locator(".km-result").first
		expect(
			first.locator(".km-open").get_attribute("data-article") == seed["article"],
			f"the first result is {first.inner_text()[:120]!r}",
		)
		expect(
			first.locator(".km-result-file").inner_text().strip() == label, f"it says {first.inner_text()!r}"
		)
		expect("release lever" in first.inner_text(), "the snippet is not page 3's")

	def opens_the_manual_at_that_page():
		link = page.locator(".km-result").first.locator(".km-result-file a")
		href = link.get_attribute("href")
		expect(href.endswith(f"#page={seed['page']}"), f"the link is {href!r}")
		response = page.request.get(f"{base}{href.split('#')[0]}")
		expect(response.ok, f"the file answered {response.status}")
		expect(
			response.headers.get("content-type") == "application/pdf", response.headers.get("content-type")
		)
		expect(
			response.headers.get("content-disposition", "").startswith("inline"),
			"the PDF is not shown inline",
		)
		with page.context.expect_page() as opened:
			link.click()
		tab = opened.value
		tab.wait_for_timeout(3000)  # the viewer draws the page
		expect(tab.url.endswith(f"#page={seed['page']}"), f"the tab opened {tab.url}")
		tab.screenshot(path=f"{check.shots}/documents_agent_pdf_at_page_3.png")
		tab.close()

	def a_chinese_question_finds_the_english_page_by_meaning():
		page.goto(f"{base}/app/knowledge-search?q={seed['zh_query']}")
		page.wait_for_selector(".km-result", timeout=30_000)
		first = page.locator(".km-result").first
		expect(
			first.locator(".km-open").get_attribute("data-article") == seed["article"],
			f"the first result is {first.inner_text()[:120]!r}",
		)
		expect(
			first.locator(".km-result-file").inner_text().strip() == label, f"it says {first.inner_text()!r}"
		)
		page.screenshot(path=f"{check.shots}/documents_agent_chinese_question_finds_page_3.png")

	check.step("documents_agent_finds_the_answer_on_page_3_of_a_manual", page, finds_the_page_in_the_manual)
	if seed["semantic"]:
		check.step(
			"documents_agent_chinese_question_finds_the_english_page_by_meaning",
			page,
			a_chinese_question_finds_the_english_page_by_meaning,
		)
	check.step("documents_agent_opens_the_manual_at_page_3", page, opens_the_manual_at_that_page)
	page.context.close()

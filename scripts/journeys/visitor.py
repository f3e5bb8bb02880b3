"""A visitor looking for help finds the knowledge base from the website, the portal and Helpdesk.

Seeded by km_crm.tests.browser_seed (the demo's portal customer). A guest on the website's home page
follows the navbar's "Knowledge Base" to /knowledge, and one who opens Helpdesk's customer knowledge
base (a bookmark, a link in a Helpdesk e-mail) lands there too. The demo customer, signed in, follows
"Knowledge Base" in the ERPNext portal's menu, and in Helpdesk's own sidebar, where Helpdesk's app
moves without a page load. Helpdesk's steps are skipped, with the reason, when it is not installed.
"""

from browser_support import bench_json, expect, login

SEED = "km_crm.tests.browser_seed.seed"


def run(check, browser, base: str, bench_dir: str, site: str) -> None:
	seed = bench_json(bench_dir, site, SEED)
	guest_steps(check, browser, base, seed)
	customer_steps(check, browser, base, seed)


def _on_knowledge_home(page) -> None:
	page.wait_for_url("**/knowledge", timeout=30_000)
	page.wait_for_selector(".km-kb h1", timeout=15_000)
	expect(page.inner_text(".km-kb h1") == "Knowledge Base", f"the page reads {page.inner_text('h1')!r}")
	expect(page.locator(".km-kb-search input").count() == 1, "no search box on the knowledge base")


def guest_steps(check, browser, base: str, seed: dict) -> None:
	page = browser.new_context(locale="en-US", viewport={"width": 1440, "height": 900}).new_page()

	def from_the_website_navbar():
		page.goto(f"{base}/")
		link = page.locator("nav.navbar a[href='/knowledge']")
		expect(link.count() >= 1, "the website's navbar has no link to the knowledge base")
		link.first.click()
		_on_knowledge_home(page)

	def from_helpdesks_knowledge_base():
		page.goto(f"{base}/helpdesk/kb-public")
		_on_knowledge_home(page)
		article = seed["public_en"]
		page.goto(f"{base}/helpdesk/kb-public/articles/{article['name']}")
		page.wait_for_url(f"**/knowledge/{article['name']}", timeout=15_000)
		expect(page.inner_text("h1") == article["title"], f"the article reads {page.inner_text('h1')!r}")

	check.step("visitor_guest_finds_the_knowledge_base_in_the_website_navbar", page, from_the_website_navbar)
	if seed.get("helpdesk"):
		check.step(
			"visitor_guest_opening_helpdesks_knowledge_base_lands_on_ours",
			page,
			from_helpdesks_knowledge_base,
		)
	else:
		print("  skip  Helpdesk's knowledge base: Helpdesk is not installed on this site")
	page.context.close()


def customer_steps(check, browser, base: str, seed: dict) -> None:
	context = browser.new_context(locale="en-US", viewport={"width": 1440, "height": 900})
	page = context.new_page()
	login(page, base, seed["customer"]["user"], seed["customer"]["password"])

	def from_the_portal_menu():
		page.goto(f"{base}/me")  # the portal's home: its menu lists what the customer may open
		link = page.locator(".web-sidebar a[href='/knowledge']")
		expect(link.count() == 1, "the portal's menu has no link to the knowledge base")
		link.click()
		_on_knowledge_home(page)

	def from_helpdesks_sidebar():
		page.goto(f"{base}/helpdesk/my-tickets")
		link = page.get_by_text("Knowledge Base", exact=True).first
		link.wait_for(timeout=30_000)
		link.click()
		_on_knowledge_home(page)

	check.step("visitor_customer_finds_the_knowledge_base_in_the_portal_menu", page, from_the_portal_menu)
	if seed.get("helpdesk"):
		check.step(
			"visitor_customer_finds_the_knowledge_base_in_helpdesks_sidebar", page, from_helpdesks_sidebar
		)
	else:
		print("  skip  Helpdesk's sidebar: Helpdesk is not installed on this site")
	context.close()

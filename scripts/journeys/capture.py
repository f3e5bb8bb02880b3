"""An agent turns a solved ticket into an article only after seeing the live article it looks like, in the desk and in Helpdesk.

Seeded by km_crm.tests.journey_seed_capture: the demo's solved POS closing ticket again (greeting,
introduction with e-mail and phone, the agent's reply with a call-back and sign-off), as an ERPNext
Issue and an HD Ticket, nothing linked. Create Article first lists the live POS article with its
score; "Link as solved" links it; asked again, the article shows as linked and "It is new" creates
the draft, with the table of removed personal data; the draft starts with the problem, not with
"Hello, this is [name]", and has no call-back.
"""

import re

from browser_support import bench_json, expect, signed_in_page

SEED = "km_crm.tests.journey_seed_capture.seed"
NOISE = ("Hello", "this is", "[name]", "Call ", "Best regards", "Hi ")


def run(check, browser, base: str, bench_dir: str, site: str) -> None:
	seed = bench_json(bench_dir, site, SEED)
	desk_steps(check, browser, base, seed)
	if "HD Ticket" in seed["tickets"]:
		helpdesk_steps(check, browser, base, seed)


def _show(box) -> None:
	"""Scroll the capture box into view for the screenshot. The panel draws it again whenever its
	lists refresh, so the element is looked up and scrolled in one step (a detached one is skipped)."""
	box.evaluate("el => el.scrollIntoView({block: 'center'})")


def _draft_reads_like_an_article(page, base: str, article: str) -> None:
	doc = page.request.get(f"{base}/api/resource/KM Article/{article}").json()["data"]
	text = re.sub(r"<[^>]+>", " ", f"{doc['issue']} {doc['resolution']}")
	expect(
		doc["issue"].startswith("<p>Closing the POS shift"), f"the draft's issue reads {doc['issue'][:80]!r}"
	)
	found = [n for n in NOISE if n in text]
	expect(not found, f"the draft still holds {found}: {text[:300]!r}")
	expect("submit the POS Closing Entry again" in doc["resolution"], "the draft lost the fix")


def desk_steps(check, browser, base: str, seed: dict) -> None:
	page = signed_in_page(browser, base, seed["agent"])
	issue = seed["tickets"]["Issue"]
	state = {}

	def open_create_article():
		page.goto(f"{base}/app/issue/{issue}")
		page.locator(".km-panel-item").first.wait_for(timeout=30_000)
		page.locator(".inner-group-button[data-label='Knowledge'] button").click()
		page.locator(".dropdown-menu:visible a", has_text="Create Article").click()

	def shows_the_live_article_first():
		open_create_article()
		dialog = page.locator(".modal-dialog:visible", has_text="Search before you create")
		dialog.wait_for(timeout=20_000)
		first = dialog.locator(".km-panel-item").first
		expect(seed["article_title"] in first.inner_text(), f"first listed: {first.inner_text()!r}")
		expect(re.search(r"score \d+", first.inner_text()) is not None, "no score shown")
		expect(
			dialog.get_by_role("button", name="It is new: create the draft").count() == 1, "no 'It is new'"
		)

	def link_as_solved():
		page.locator(".modal-dialog:visible [data-km-close-link]").first.click()
		linked = page.locator(".km-panel-link", has_text=seed["article_title"])
		linked.wait_for(timeout=20_000)
		expect("Solved" in linked.inner_text(), f"linked row reads {linked.inner_text()!r}")

	def it_is_new_creates_the_draft():
		open_create_article()
		dialog = page.locator(".modal-dialog:visible", has_text="Search before you create")
		dialog.wait_for(timeout=20_000)
		expect(
			"Solved" in dialog.locator(".km-panel-item").first.inner_text(),
			"the linked article is not marked",
		)
		dialog.get_by_role("button", name="It is new: create the draft").click()
		created = page.locator(".modal-dialog:visible", has_text="Draft article created")
		created.wait_for(timeout=30_000)
		rows = created.locator("tbody tr")
		expect(rows.count() >= 1, "no table of removed personal data")
		created.get_by_role("button", name="Open Article").click()
		page.wait_for_url(re.compile(r".*/app/km-article/.*"), timeout=20_000)
		state["article"] = page.url.rstrip("/").split("/")[-1]
		page.locator(".frappe-control[data-fieldname='issue']").first.wait_for(timeout=20_000)
		_draft_reads_like_an_article(page, base, state["article"])

	check.step("capture_desk_shows_the_live_article_first", page, shows_the_live_article_first)
	check.step("capture_desk_link_as_solved", page, link_as_solved)
	check.step("capture_desk_it_is_new_creates_a_clean_draft", page, it_is_new_creates_the_draft)
	page.context.close()


def helpdesk_steps(check, browser, base: str, seed: dict) -> None:
	page = signed_in_page(browser, base, seed["agent"])
	ticket = seed["tickets"]["HD Ticket"]
	panel = page.locator("#km-crm-knowledge-panel")
	box = panel.locator("[data-km-capture]")

	def open_panel():
		page.goto(f"{base}/helpdesk/tickets/{ticket}")
		page.evaluate("localStorage.setItem('km-crm-panel-open', '1')")
		page.reload()
		panel.locator("[data-km-action='capture']").wait_for(timeout=30_000)

	def shows_the_live_article_first():
		open_panel()
		page.wait_for_load_state("networkidle")
		panel.locator("[data-km-action='capture']").click()
		box.wait_for(timeout=20_000)
		text = box.inner_text()
		expect("These live articles look like this ticket" in text, f"the box reads {text[:200]!r}")
		expect(seed["article_title"] in text.splitlines()[1], f"first listed: {text.splitlines()[1]!r}")
		expect(re.search(r"score \d+", text) is not None, "no score shown")
		_show(box)

	def link_as_solved():
		box.locator("[data-km-action='capture-link']").first.click()
		box.wait_for(state="detached", timeout=20_000)
		panel.get_by_text(seed["article_title"]).first.wait_for(timeout=20_000)

	def it_is_new_creates_the_draft():
		page.wait_for_load_state("networkidle")  # the panel re-renders once the link's refresh returns
		panel.locator("[data-km-action='capture']").click()
		box.wait_for(timeout=20_000)
		page.wait_for_load_state("networkidle")
		expect("Solved" in box.inner_text(), "the linked article is not marked")
		box.locator("[data-km-action='capture-new']").click()
		box.get_by_text("Draft article created.").wait_for(timeout=30_000)
		expect(box.locator("tr").count() >= 1, "no table of removed personal data")
		_show(box)
		href = box.get_by_text("Open Article").get_attribute("href")
		_draft_reads_like_an_article(page, base, href.rstrip("/").split("/")[-1])

	check.step("capture_helpdesk_shows_the_live_article_first", page, shows_the_live_article_first)
	check.step("capture_helpdesk_link_as_solved", page, link_as_solved)
	check.step("capture_helpdesk_it_is_new_creates_a_clean_draft", page, it_is_new_creates_the_draft)
	page.context.close()

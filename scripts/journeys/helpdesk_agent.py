"""A support agent answers a ticket with the knowledge panel in Helpdesk's agent UI.

Seeded by km_crm.tests.journey_seed_helpdesk: an open HD Ticket of the demo's portal customer, the
Public article that answers it and an Internal one. The agent (1440x900) opens the panel and still
sees the ticket's own sidebar beside it; inserts the answer, which shows in the reply editor Helpdesk
had closed, and types on after it; the suggestions then follow the agent's words, not the inserted
answer; an Internal article is refused for this customer with its reason in writing; the answer is
linked as solved (the toast says so) and the link removed again. Skipped, with the reason, on a site
without Helpdesk.
"""

from browser_support import bench_json, expect, login

SEED = "km_crm.tests.journey_seed_helpdesk.seed"
PANEL = "#km-crm-knowledge-panel"
REPLY = ".comm-area .ProseMirror[class*='reply-to-content']"
TYPED = "Does this help?"


def run(check, browser, base: str, bench_dir: str, site: str) -> None:
	seed = bench_json(bench_dir, site, SEED)
	if not seed.get("helpdesk"):
		print(f"  skip  Helpdesk's agent UI: {seed.get('reason')}")
		return
	context = browser.new_context(locale="en-US", viewport={"width": 1440, "height": 900})
	page = context.new_page()
	login(page, base, seed["agent"]["user"], seed["agent"]["password"])
	sent = []  # what the panel asked for suggestions with
	page.on(
		"request",
		lambda r: (
			sent.append(r.post_data_json or {}) if r.url.endswith("km_crm.api.tickets.suggest") else None
		),
	)
	answer, internal = seed["answer"], seed["internal"]

	def row(title: str):
		return page.locator(f"{PANEL} .km-item", has=page.locator("a[data-km-action='open']", has_text=title))

	def toast(text: str) -> None:
		page.get_by_text(text, exact=True).first.wait_for(timeout=10_000)

	def opens_the_panel_beside_the_ticket_sidebar():
		page.goto(f"{base}/helpdesk/tickets/{seed['ticket']}")
		page.wait_for_selector("#km-crm-knowledge-pill", state="visible", timeout=60_000)
		page.get_by_role("button", name="Knowledge", exact=True).first.click()
		row(answer["title"]).wait_for(timeout=15_000)
		panel = page.locator(PANEL).bounding_box()
		priority = page.get_by_text("Priority", exact=True).first
		expect(priority.is_visible(), "the ticket's sidebar (Priority) is not shown while the panel is open")
		field = priority.bounding_box()
		expect(
			field["x"] + field["width"] <= panel["x"],
			f"the panel (from x={panel['x']:.0f}) covers the ticket's sidebar (Priority at x={field['x']:.0f})",
		)

	def inserts_the_answer_into_the_reply():
		expect(page.locator(REPLY).count() == 1, "no reply editor on the ticket page")
		expect(not page.locator(REPLY).is_visible(), "the reply editor was open before the insert")
		row(answer["title"]).locator("[data-km-action='insert']").click()
		toast("Inserted into your reply.")
		reply = page.locator(REPLY)
		expect(reply.is_visible(), "the reply editor did not open for the inserted answer")
		expect(
			answer["first_line"] in reply.inner_text(), f"the reply does not show {answer['first_line']!r}"
		)
		page.keyboard.type(f" {TYPED}")
		text = " ".join(reply.inner_text().split())
		expect(text.endswith(TYPED), f"what the agent typed did not land after the answer: {text[-160:]!r}")

	def suggestions_follow_the_agents_words():
		replies = []
		for _ in range(20):  # the panel reads the reply once a second and asks when it settles
			replies = [r.get("reply", "") for r in sent if TYPED in r.get("reply", "")]
			if replies:
				break
			page.wait_for_timeout(500)
		expect(replies, "the suggestions were not asked for again after the agent typed")
		expect(
			answer["first_line"] not in replies[-1],
			f"the inserted answer was searched as the agent's words: {replies[-1]!r}",
		)

	def refuses_an_internal_article_in_writing():
		page.fill(f"{PANEL} [data-km-query]", internal["title"])
		item = row(internal["title"])
		item.wait_for(timeout=15_000)
		reason = item.locator("[data-km-refusal]")
		expect(reason.count() == 1, "no written reason under the internal article")
		text = reason.inner_text()
		expect("Not for this customer" in text and "Internal" in text, f"the reason reads {text!r}")
		expect(item.locator("[data-km-action='insert']").is_disabled(), "Insert is still offered for it")

	def links_and_unlinks_the_answer():
		page.fill(f"{PANEL} [data-km-query]", "")
		item = row(answer["title"])
		item.wait_for(timeout=15_000)
		item.locator("[data-km-action='solved']").click()
		toast("Linked to this ticket.")
		unlink = page.locator(f"{PANEL} [data-km-action='unlink']")
		unlink.first.wait_for(timeout=10_000)
		expect(unlink.count() == 1, f"{unlink.count()} links shown, expected the one just made")
		expect(
			row(answer["title"]).locator("[data-km-action='solved']").count() == 0,
			"the linked article still offers 'Solved it'",
		)
		unlink.first.click()
		toast("Link removed.")
		try:
			page.wait_for_function(
				f"() => !document.querySelector(\"{PANEL} [data-km-action='unlink']\")", timeout=20_000
			)
		except Exception as exc:  # say what the agent saw: an error toast, or the link still listed
			toasts = page.locator("[role='status'], .toast, [data-sonner-toast]").all_inner_texts()
			links = page.locator(f"{PANEL} [data-km-action='unlink']").count()
			expect(
				False, f"the link stayed ({links} shown) 20 s after 'Link removed.'; toasts: {toasts}; {exc}"
			)
		expect(
			row(answer["title"]).locator("[data-km-action='solved']").count() == 1,
			"'Solved it' did not come back",
		)

	check.step(
		"helpdesk_agent_opens_the_panel_beside_the_ticket_sidebar",
		page,
		opens_the_panel_beside_the_ticket_sidebar,
	)
	check.step(
		"helpdesk_agent_inserts_the_answer_into_the_closed_reply", page, inserts_the_answer_into_the_reply
	)
	check.step(
		"helpdesk_agent_suggestions_follow_the_agents_words", page, suggestions_follow_the_agents_words
	)
	check.step(
		"helpdesk_agent_sees_why_an_internal_article_is_refused", page, refuses_an_internal_article_in_writing
	)
	check.step("helpdesk_agent_links_the_answer_and_removes_the_link", page, links_and_unlinks_the_answer)
	context.close()

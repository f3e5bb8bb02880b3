"""A committee member reviews a new version of a live article on its review form; its author finds it locked while in review.

Seeded by km_crm.tests.journey_seed_review: a Customer article with a live version 1 and a version 2
in review on the demo committee, whose resolution gained a sentence. The member (the committee's
chair) opens the round from their ToDo and reads, on the review form itself, the article under
review and the changes against the live version: the added sentence highlighted, the unchanged
sections absent from the changes. A sales user who is not on the committee is refused the content.
The author opens the article: read-only, with a banner naming the review; the history says the
audit chain verifies and names people, not e-mail addresses; Versions > Compare, changes only, lists
the resolution alone.
"""

from browser_support import bench_json, expect, signed_in_page

SEED = "km_crm.tests.journey_seed_review.seed"
OUTSIDER = "km.sales@example.com"


def run(check, browser, base: str, bench_dir: str, site: str) -> None:
	seed = bench_json(bench_dir, site, SEED)
	member_steps(check, browser, base, seed)
	outsider_steps(check, browser, base, seed)
	author_steps(check, browser, base, seed)


def member_steps(check, browser, base: str, seed: dict) -> None:
	page = signed_in_page(browser, base, seed["member"])

	def todo_leads_with_the_title():
		page.goto(f"{base}/app/todo?status=Open&reference_name={seed['review']}")
		row = page.locator(".list-row-container .list-subject").first
		row.wait_for(timeout=20_000)
		text = row.inner_text().strip()
		expect(text.startswith(seed["title"][:20]), f"the ToDo reads {text!r}")

	def reads_content_and_changes():
		page.goto(f"{base}/app/km-review/{seed['review']}")
		article = page.locator(".km-review-article")
		article.wait_for(timeout=20_000)
		expect(seed["title"] in article.inner_text(), "the article's title is not on the review form")
		expect(seed["unchanged"] in article.inner_text(), "the unchanged Cause section is not shown")
		changes = page.locator(".km-review-changes")
		expect(changes.count() == 1, "no changes against the live version")
		expect(seed["live_version"] in changes.inner_text(), "the changes do not name the live version")
		inserted = changes.locator("ins.km-diff-ins")
		expect(inserted.count() >= 1, "nothing is highlighted as added")
		expect(seed["added"] in inserted.first.inner_text(), f"highlighted: {inserted.first.inner_text()!r}")
		fields = [t.strip() for t in changes.locator("tbody th").all_inner_texts()]
		expect(fields == ["Resolution"], f"the changes list these fields: {fields}")
		expect(seed["unchanged"] not in changes.inner_text(), "an unchanged section is in the changes")
		page.locator(".km-review-changes").scroll_into_view_if_needed()

	check.step("reviewer_todo_leads_with_the_article_title", page, todo_leads_with_the_title)
	check.step("reviewer_reads_the_article_and_its_changes_on_the_review", page, reads_content_and_changes)
	page.context.close()


def outsider_steps(check, browser, base: str, seed: dict) -> None:
	page = signed_in_page(browser, base, {"user": OUTSIDER, "password": seed["member"]["password"]})

	def refused():
		response = page.request.get(
			f"{base}/api/method/km_crm.api.reviews.get_review_content", params={"review": seed["review"]}
		)
		expect(response.status == 403, f"a sales user got {response.status}")
		expect(seed["added"] not in response.text(), "the draft's text reached a sales user")
		page.goto(f"{base}/app/km-review/{seed['review']}")
		page.wait_for_timeout(1500)
		expect(seed["added"] not in page.content(), "the draft's text is on the sales user's page")

	check.step("non_member_is_refused_the_content_under_review", page, refused)
	page.context.close()


def author_steps(check, browser, base: str, seed: dict) -> None:
	page = signed_in_page(browser, base, seed["author"])

	def locked_with_a_banner():
		page.goto(f"{base}/app/km-article/{seed['article']}")
		headline = page.locator(".form-message")
		headline.first.wait_for(timeout=20_000)
		text = headline.first.inner_text()
		expect(seed["review"] in text and "editing is locked" in text, f"the banner reads {text!r}")
		expect(
			page.locator(
				".frappe-control[data-fieldname='resolution'] .ql-editor[contenteditable='true']:visible"
			).count()
			== 0,
			"the Resolution editor still takes typing",
		)
		expect(
			page.locator(".frappe-control[data-fieldname='title'] input:visible").count() == 0,
			"the title is still an input",
		)
		expect(
			seed["added"] in page.locator(".frappe-control[data-fieldname='resolution']").inner_text(),
			"the resolution is not shown",
		)

	def history_verified():
		status = page.locator(".km-chain-status")
		status.wait_for(timeout=20_000)
		expect("Audit chain verified" in status.inner_text(), f"the chain line reads {status.inner_text()!r}")
		by = page.locator(".km-history tbody tr td:nth-child(3)").all_inner_texts()
		expect(by and not any("@" in b for b in by), f"the history's By column: {by}")
		page.locator(".km-history").scroll_into_view_if_needed()

	def compares_changes_only():
		page.locator("button:has-text('Versions')").first.click()
		page.locator(".dropdown-menu:visible a:has-text('Compare')").first.click()
		dialog = page.locator(".modal:visible")
		dialog.locator("table.km-diff").wait_for(timeout=20_000)
		rows = dialog.locator("table.km-diff tbody tr")
		expect(rows.count() > 5, f"the full comparison lists {rows.count()} fields")
		dialog.locator("input[data-fieldname='changes_only']").check()
		shown = [t.strip() for t in dialog.locator("table.km-diff tbody tr:visible th").all_inner_texts()]
		expect("Resolution" in shown and "Cause" not in shown, f"changes only shows {shown}")
		expect(
			seed["added"] in dialog.locator("tr.km-diff-changed ins").first.inner_text(),
			"the added sentence is not highlighted",
		)

	check.step("author_finds_the_article_locked_while_in_review", page, locked_with_a_banner)
	check.step("author_sees_the_history_and_its_verified_chain", page, history_verified)
	check.step("author_compares_versions_changes_only", page, compares_changes_only)
	page.context.close()

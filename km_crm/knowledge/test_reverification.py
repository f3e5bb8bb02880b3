"""Re-verification by evidence, on the site: reopened solved tickets, changed Items, readers who say an
article did not solve their problem and ticket links that stop each send a published article to
Needs Review, with a ToDo for its owner and the evidence as the reason in its history; below the
threshold, or with the setting off, the article stays published."""

import contextlib
from typing import ClassVar
from unittest.mock import patch

import frappe
from frappe.utils import add_days, add_to_date, now_datetime

from km_crm.knowledge import article_links, reverification
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import make_issue, override_settings, unique, word

DEFAULTS = {
	"reverify_reopened_tickets": 1,
	"reopened_tickets_needed": 2,
	"reopened_tickets_days": 30,
	"reverify_links_stop": 1,
	"links_stop_days": 90,
	"links_stop_category_tickets": 5,
	"reverify_not_solved": 1,
	"not_solved_percent": 30,
	"not_solved_min_readers": 20,
	"reverify_item_variant": 1,
	"reverify_item_disabled": 1,
	"reverify_item_description": 1,
}
OWN_JOBS = "km_crm.knowledge.reverification."


@contextlib.contextmanager
def jobs_run_at_once():
	"""What the worker does after the commit, done at once for re-verification's jobs (without their
	commits: the test's records roll back with it)."""
	original = frappe.enqueue

	def enqueue(method, **kwargs):
		if not (isinstance(method, str) and method.startswith(OWN_JOBS)):
			return original(method, **kwargs)
		for option in ("queue", "enqueue_after_commit", "job_id", "deduplicate", "timeout"):
			kwargs.pop(option, None)
		return frappe.get_attr(method)(**kwargs)

	with patch("frappe.enqueue", side_effect=enqueue), patch.object(frappe.db, "commit"):
		yield


class ReverificationCase(KMTestCase):
	settings: ClassVar[dict] = {"KM Settings": DEFAULTS}
	fixture = True

	def assert_in_review_for(self, article: str, reason: str) -> None:
		"""What the owner sees: the article in Needs Review, a ToDo saying why, the reason in its history."""
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), "Needs Review")
		todos = frappe.get_all(
			"ToDo",
			filters={
				"reference_type": "KM Article",
				"reference_name": article,
				"allocated_to": self.f.author,
				"status": "Open",
			},
			pluck="description",
		)
		self.assertTrue(any(reason in (d or "") for d in todos), todos)
		self.assertEqual(self.review_reasons(article), [reason] if reason else [])

	def assert_still_published(self, article: str) -> None:
		self.assertEqual(frappe.db.get_value("KM Article", article, "status"), "Published")
		self.assertEqual(self.review_reasons(article), [])

	def review_reasons(self, article: str) -> list[str]:
		return frappe.get_all(
			"KM Audit Event", filters={"article": article, "event_type": "Review Due"}, pluck="details"
		)

	def published_again(self, article: str) -> None:
		"""The article was published again just now (its evidence starts afresh)."""
		frappe.db.set_value("KM Article", article, "last_published_on", now_datetime())


class TestReopenedTickets(ReverificationCase):
	def solved_ticket(self, article: str) -> str:
		issue = make_issue(f"Printer {word()} prints blank pages", status="Closed", resolution="New toner")
		article_links.add_link(article, "Issue", issue.name, "Solved")
		return issue.name

	def reopen(self, issue: str) -> None:
		with jobs_run_at_once():
			doc = frappe.get_doc("Issue", issue)
			doc.status = "Open"
			doc.save(ignore_permissions=True)

	def test_two_reopened_tickets_send_the_article_to_review_naming_them(self):
		article = self.f.published()
		first, second = self.solved_ticket(article), self.solved_ticket(article)
		self.reopen(first)
		self.assert_still_published(article)
		history = frappe.get_all(
			"KM Audit Event", filters={"article": article, "event_type": "Ticket Reopened"}, pluck="details"
		)
		self.assertTrue(history and first in history[0] and "Closed" in history[0], history)
		self.reopen(second)
		self.assert_in_review_for(
			article,
			f"2 tickets solved by this article were reopened in 30 days: {first}, {second}",
		)

	def test_a_customer_email_reopening_a_closed_issue_counts_once(self):
		article = self.f.published()
		saved, emailed = self.solved_ticket(article), self.solved_ticket(article)
		self.reopen(saved)
		with jobs_run_at_once():
			# Frappe reopens a closed issue when the customer's e-mail arrives (db_set, not a save)
			frappe.get_doc(
				{
					"doctype": "Communication",
					"communication_type": "Communication",
					"communication_medium": "Email",
					"sent_or_received": "Received",
					"sender": "customer@example.com",
					"subject": "Still printing blank pages",
					"content": "<p>It happens again.</p>",
					"reference_doctype": "Issue",
					"reference_name": emailed,
				}
			).insert(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("Issue", emailed, "status"), "Open")
		self.assertEqual(
			frappe.db.count("KM Audit Event", {"article": article, "event_type": "Ticket Reopened"}), 2
		)
		self.assert_in_review_for(
			article, f"2 tickets solved by this article were reopened in 30 days: {saved}, {emailed}"
		)

	def test_a_reopened_helpdesk_ticket_counts_too(self):
		if not frappe.db.exists("DocType", "HD Ticket"):
			self.skipTest("Helpdesk is not installed on this site")
		article = self.f.published()
		ticket = frappe.get_doc(
			{"doctype": "HD Ticket", "subject": f"Printer {word()} is offline", "raised_by": "hd@example.com"}
		).insert(ignore_permissions=True)
		ticket.reload()
		ticket.status = "Closed"
		ticket.save(ignore_permissions=True)
		article_links.add_link(article, "HD Ticket", ticket.name, "Solved")
		issue = self.solved_ticket(article)
		with jobs_run_at_once():
			ticket.reload()
			ticket.status = "Open"
			ticket.save(ignore_permissions=True)
		self.assert_still_published(article)
		self.reopen(issue)
		self.assert_in_review_for(
			article, f"2 tickets solved by this article were reopened in 30 days: #{ticket.name}, {issue}"
		)

	def test_a_ticket_only_referenced_or_reopened_before_the_last_publication_does_not_count(self):
		article = self.f.published()
		referenced = make_issue(f"Printer {word()} jams", status="Resolved", resolution="Cleaned")
		article_links.add_link(article, "Issue", referenced.name, "Referenced")
		self.reopen(referenced.name)
		before = self.solved_ticket(article)
		self.reopen(before)
		self.published_again(article)
		self.reopen(self.solved_ticket(article))
		self.assert_still_published(article)

	def test_with_the_setting_off_reopened_tickets_are_recorded_but_send_nothing_to_review(self):
		override_settings(self, "KM Settings", reverify_reopened_tickets=0)
		article = self.f.published()
		for _i in range(3):
			self.reopen(self.solved_ticket(article))
		self.assert_still_published(article)
		self.assertEqual(
			frappe.db.count("KM Audit Event", {"article": article, "event_type": "Ticket Reopened"}), 3
		)


class TestItems(ReverificationCase):
	def item(self, **fields) -> str:
		code = unique("KM-ITEM")
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": code,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name") or "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": 0,
				"description": "<p>Laser printer, 20 pages a minute</p>",
				**fields,
			}
		).insert(ignore_permissions=True)
		return code

	def save_item(self, code: str, **values) -> None:
		with jobs_run_at_once():
			doc = frappe.get_doc("Item", code)
			doc.update(values)
			doc.save(ignore_permissions=True)

	def test_an_item_disabled_sends_the_articles_naming_it_to_review_once(self):
		code = self.item()
		article = self.f.published(items=[{"item": code}])
		other = self.f.published()
		self.save_item(code, disabled=1)
		self.assert_in_review_for(article, f"Item {code} was disabled")
		self.assert_still_published(other)
		# more evidence while it is in review: not sent again
		self.save_item(code, description="<p>Laser printer, 30 pages a minute</p>")
		self.assertEqual(len(self.review_reasons(article)), 1)

	def test_an_item_description_edited_sends_the_article_to_review_but_not_a_rewrite_of_its_markup(self):
		code = self.item()
		article = self.f.published(items=[{"item": code}])
		self.save_item(code, description="<div>Laser printer, 20 pages a minute</div>")
		self.assert_still_published(article)
		self.save_item(code, description="<p>Laser printer, 30 pages a minute</p>")
		self.assert_in_review_for(article, f"The description of Item {code} was edited")

	def test_a_new_variant_of_an_item_sends_the_article_to_review(self):
		from erpnext.controllers.item_variant import create_variant

		attribute = frappe.get_doc(
			{
				"doctype": "Item Attribute",
				"attribute_name": unique("Colour"),
				"item_attribute_values": [{"attribute_value": "Red", "abbr": "RED"}],
			}
		).insert(ignore_permissions=True)
		template = self.item(has_variants=1, attributes=[{"attribute": attribute.name}])
		article = self.f.published(items=[{"item": template}])
		with jobs_run_at_once():
			variant = create_variant(template, {attribute.name: "Red"})
			variant.insert(ignore_permissions=True)
		self.assert_in_review_for(article, f"Item {template} has a new variant: {variant.name}")

	def test_with_its_setting_off_an_item_change_sends_nothing_to_review(self):
		override_settings(self, "KM Settings", reverify_item_disabled=0)
		code = self.item()
		article = self.f.published(items=[{"item": code}])
		self.save_item(code, disabled=1)
		self.assert_still_published(article)


class TestDailyEvidence(ReverificationCase):
	"""The daily job (hooks.py scheduler_events), run as the scheduler runs it, without its commits."""

	def run_daily_job(self) -> None:
		with jobs_run_at_once():
			reverification.check_published_articles()

	def readers(self, article: str, page_views: int, helpful: int, not_solved: int, unclear: int = 0) -> None:
		"""Page views of the article's portal page (Frappe's Web Page View) and readers' votes: helpful,
		"did not solve my problem", "unclear"."""
		version = frappe.db.get_value("KM Article", article, "published_version")
		for _i in range(page_views):
			frappe.get_doc({"doctype": "Web Page View", "path": f"knowledge/{article}"}).insert(
				ignore_permissions=True
			)
		votes = [None] * helpful + ["Did not solve my problem"] * not_solved + ["Unclear"] * unclear
		for reason in votes:
			vote = frappe.get_doc(
				{
					"doctype": "KM Article Feedback",
					"article": article,
					"article_version": version,
					"helpful": 0 if reason else 1,
					"reason": reason,
					"channel": "Portal",
					"feedback_key": f"{article}|{word()}",
				}
			)
			vote.flags.km_append = True
			vote.insert(ignore_permissions=True)

	def test_readers_saying_it_did_not_solve_their_problem_send_it_to_review(self):
		article = self.f.published()
		self.readers(article, page_views=31, helpful=5, not_solved=12, unclear=3)
		self.run_daily_job()
		self.assert_in_review_for(article, "12 of 31 readers (39%) said it did not solve their problem")

	def test_too_few_readers_too_small_a_share_other_reasons_or_votes_before_publication_send_nothing(self):
		few = self.f.published()
		self.readers(few, page_views=0, helpful=1, not_solved=2)  # two votes among three readers
		small_share = self.f.published()
		self.readers(small_share, page_views=40, helpful=3, not_solved=11)  # 28%
		unclear = self.f.published()
		self.readers(unclear, page_views=31, helpful=5, not_solved=6, unclear=8)  # 6 of 31 did not solve
		republished = self.f.published()
		self.readers(republished, page_views=31, helpful=5, not_solved=12)
		frappe.db.set_value(
			"KM Article", republished, "last_published_on", add_to_date(now_datetime(), seconds=1)
		)
		self.run_daily_job()
		for article in (few, small_share, unclear, republished):
			self.assert_still_published(article)

	def test_with_the_setting_off_readers_votes_send_nothing_to_review(self):
		override_settings(self, "KM Settings", reverify_not_solved=0)
		article = self.f.published()
		self.readers(article, page_views=31, helpful=5, not_solved=12)
		self.run_daily_job()
		self.assert_still_published(article)

	def solved(self, article: str, days_ago: int, tickets: int) -> None:
		for _i in range(tickets):
			issue = make_issue(f"Printer {word()} is offline", status="Closed", resolution="Restarted")
			link = article_links.add_link(article, "Issue", issue.name, "Solved")
			frappe.db.set_value("KM Article Link", link, "linked_on", add_days(now_datetime(), -days_ago))

	def live_since(self, article: str, days_ago: int) -> None:
		frappe.db.set_value("KM Article", article, "last_published_on", add_days(now_datetime(), -days_ago))

	def test_ticket_links_that_stop_while_the_category_keeps_solving_send_it_to_review(self):
		article, other = self.f.published(), self.f.published()
		self.live_since(article, 200)
		self.solved(article, days_ago=120, tickets=2)
		self.solved(other, days_ago=10, tickets=5)
		self.run_daily_job()
		self.assert_in_review_for(
			article, "No ticket solved with it in 90 days while 5 tickets of its category were"
		)
		self.assert_still_published(other)

	def test_ticket_links_stopping_in_a_quiet_category_or_after_a_recent_publication_send_nothing(self):
		quiet, other = self.f.published(), self.f.published()
		self.live_since(quiet, 200)
		self.solved(quiet, days_ago=120, tickets=2)
		self.solved(other, days_ago=10, tickets=4)
		self.run_daily_job()
		self.assert_still_published(quiet)
		recent = self.f.published()
		self.live_since(recent, 60)
		self.solved(recent, days_ago=120, tickets=2)
		self.solved(other, days_ago=5, tickets=3)
		self.run_daily_job()
		self.assert_still_published(recent)

	def test_with_the_setting_off_stopped_ticket_links_send_nothing_to_review(self):
		override_settings(self, "KM Settings", reverify_links_stop=0)
		article, other = self.f.published(), self.f.published()
		self.live_since(article, 200)
		self.solved(article, days_ago=120, tickets=2)
		self.solved(other, days_ago=10, tickets=5)
		self.run_daily_job()
		self.assert_still_published(article)

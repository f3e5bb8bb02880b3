"""Files attached to articles on a real site: read in the background, found by passage with their page,
frozen with the version that published them, and never handed to someone who may not read them."""

import io
import json
import os
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from werkzeug.exceptions import Forbidden

import frappe
from frappe.utils import set_request
from frappe.utils.pdf import get_pdf
from frappe.utils.response import download_private_file

from km_crm import constants as C
from km_crm.api import articles as articles_api
from km_crm.api import files as files_api
from km_crm.attachments import files
from km_crm.governance import actions, review_content
from km_crm.knowledge import version_files
from km_crm.search import embedding, semantic
from km_crm.search.site_search import search_rows
from km_crm.search.vector_store import unpack
from km_crm.tests.base import KMTestCase
from km_crm.tests.factories import as_user, make_portal_user, make_user, override_settings, unique, word


def manual_pdf(pages: list[str]) -> bytes:
	"""A PDF made by Frappe's own PDF maker, one page per text."""
	html = "".join(
		f'<div style="page-break-after: always"><h2>Page {n}</h2><p>{text}</p></div>'
		for n, text in enumerate(pages, 1)
	)
	return get_pdf(html)


class TestAttachedFiles(KMTestCase):
	fixture = True

	def setUp(self):
		super().setUp()
		self.agent = make_user("fileagent", "Support Team")
		self.customer = make_portal_user("filecustomer", "Customer")
		self.phrase = f"hold the trigger {self.term} for ten seconds"

	def attach(self, article: str, content: bytes, name: str = "", private: int = 1) -> frappe._dict:
		doc = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": name or f"{unique('manual')}.pdf",
				"content": content,
				"is_private": private,
				"attached_to_doctype": "KM Article",
				"attached_to_name": article,
			}
		).insert(ignore_permissions=True)
		return frappe._dict(
			frappe.db.get_value("File", doc.name, ["name", "file_url", "is_private"], as_dict=True)
		)

	def download(self, url: str, user: str):
		"""Frappe's own URL of a private file, as a browser asks it (its access log commits in a
		request: held back, so the test's records stay in its transaction)."""
		with as_user(user), patch.object(frappe.db, "commit"):
			set_request(method="GET", path=url)
			return download_private_file(url)

	def open_result(self, url: str, user: str) -> bytes:
		"""A search result's file link, as the reader's browser opens it (#page=... stays in the browser)."""
		query = parse_qs(urlsplit(url).query)
		self.assertTrue(url.startswith("/api/method/km_crm.api.files.open_file?"), url)
		frappe.local.response = frappe._dict()
		with as_user(user):
			files_api.open_file(query["article"][0], query["file"][0])
		self.assertEqual(frappe.local.response.display_content_as, "inline")
		return frappe.local.response.filecontent

	def publish(self, article: str) -> None:
		with as_user(self.f.author):
			review = actions.submit_for_review(article, "please review")
		self.f.vote(self.f.members[0], review)
		self.f.vote(self.f.members[1], review)

	def manual_article(self, audience: str = "Customer", private: int = 1):
		article = self.f.article(audience=audience)
		pages = [
			"Safety notes for the cradle.",
			"Charging takes four hours.",
			f"Factory reset: {self.phrase}.",
		]
		attached = self.attach(article.name, manual_pdf(pages), private=private)
		self.publish(article.name)
		return article.name, attached

	def test_a_phrase_on_page_three_of_a_published_manual_is_found_and_opens_at_that_page(self):
		article, attached = self.manual_article()
		rows = search_rows(f"trigger {self.term}", user=self.agent)
		self.assertEqual(rows[0]["article"], article)
		where = rows[0]["file"]
		self.assertEqual(
			(where["page"], where["label"]),
			(3, f"{frappe.db.get_value('File', attached.name, 'file_name')}, page 3"),
		)
		self.assertTrue(where["url"].endswith("#page=3"), where)
		self.assertIn(f"<mark>{self.term}</mark>", rows[0]["snippet_html"])
		# the agent's browser opens it (and Frappe's own URL of the file serves the agent too)
		self.assertTrue(self.open_result(where["url"], self.agent).startswith(b"%PDF"))
		file_url = frappe.db.get_value("File", attached.name, "file_url")
		self.assertEqual(self.download(file_url, self.agent).status_code, 200)

	def test_with_search_by_meaning_each_page_gets_its_own_vector(self):
		if not embedding.available():
			self.skipTest(f"the embedding model does not run here: {embedding.unavailable_reason()}")
		override_settings(self, "KM Search Settings", semantic_search=1)
		article, attached = self.manual_article()
		text = frappe.get_doc(files.FILE_TEXT, frappe.db.get_value("File", attached.name, "content_hash"))
		self.assertEqual(text.vector_model, embedding.MODEL)
		parts = json.loads(text.parts)
		query = embedding.embed_query("how do I reset the device to factory settings")
		cosines = [float(unpack(p["vector"]) @ query) for p in parts]
		self.assertEqual(cosines.index(max(cosines)), 2, cosines)  # page 3 is about the reset
		self.assertEqual(files.file_statuses(article)[0]["state"], "live")

	def test_a_chinese_question_finds_the_page_of_an_english_manual_by_meaning_alone(self):
		"""No word in common, the article's own text about something else: page 3's own vector finds
		the article, shown at that page (the pages' vectors join the engine after the file is read)."""
		if not embedding.available():
			self.skipTest(f"the embedding model does not run here: {embedding.unavailable_reason()}")
		override_settings(self, "KM Search Settings", semantic_search=1)
		self.embed_vectors()
		article, _attached = self.manual_article()
		rows = search_rows("如何将扫描枪恢复出厂设置？", user=self.agent)
		found = {r["article"]: r for r in rows}
		self.assertIn(article, found, [r["title"] for r in rows])
		self.assertEqual(found[article]["file"]["page"], 3, found[article])
		self.assertTrue(found[article]["file"]["label"].endswith("page 3"))
		self.assertGreaterEqual(semantic.status()["pages"], 3)  # KM Search Settings counts them
		# the article is for customers: a guest asking the same gets nothing of it
		self.assertNotIn(
			article, {r["article"] for r in search_rows("如何将扫描枪恢复出厂设置？", user="Guest")}
		)

	def test_a_draft_s_new_file_waits_for_publishing_and_the_live_version_keeps_its_own(self):
		article, old = self.manual_article()
		old_path = frappe.get_doc("File", old.name).get_full_path()
		self.f.edit(article, summary="<p>Second edition.</p>")
		frappe.delete_doc("File", old.name, ignore_permissions=True)  # the author replaces the manual
		new_word = word()
		self.attach(article, manual_pdf([f"Second edition: press reset {new_word} twice."]))
		# readers still find the live version's manual, its bytes kept though the draft's file is gone
		self.assertEqual(search_rows(self.term, user=self.agent)[0]["file"]["page"], 3)
		self.assertTrue(os.path.exists(old_path))
		self.assertEqual(search_rows(new_word, user=self.agent), [])
		self.assertEqual([s["state"] for s in files.file_statuses(article)], ["draft"])
		self.publish(article)
		rows = search_rows(new_word, user=self.agent)
		self.assertEqual((rows[0]["article"], rows[0]["file"]["page"]), (article, 1))
		self.assertEqual(search_rows(self.term, user=self.agent), [])

	def test_the_committee_sees_which_files_a_new_version_adds_and_drops(self):
		article, old = self.manual_article()
		old_name = frappe.db.get_value("File", old.name, "file_name")
		self.f.edit(article, summary="<p>Second edition.</p>")
		frappe.delete_doc("File", old.name, ignore_permissions=True)
		new = self.attach(article, manual_pdf(["Second edition."]))
		with as_user(self.f.author):
			review = actions.submit_for_review(article, "new manual")
		with as_user(self.f.members[0]):
			seen = {f["file_name"]: f["change"] for f in review_content.for_review(review)["files"]}
		new_name = frappe.db.get_value("File", new.name, "file_name")
		self.assertEqual(seen, {new_name: "added", old_name: "removed"})

	def test_a_version_with_other_files_is_another_version(self):
		article, _old = self.manual_article(audience="Public", private=0)
		first = frappe.db.get_value("KM Article", article, "published_version")
		self.f.edit(article, summary="<p>Same words.</p>")
		self.publish(article)
		second = frappe.db.get_value("KM Article", article, "published_version")
		self.assertNotEqual(first, second)
		self.assertEqual(
			{r.content_hash for r in version_files.attached_files(version_files.VERSION, first)},
			{r.content_hash for r in version_files.attached_files(version_files.VERSION, second)},
		)

	def test_guests_never_get_a_private_file_or_a_page_of_an_internal_article_s_file(self):
		words = {}
		for audience, private in (("Public", 0), ("Public", 1), ("Internal", 0)):
			self.term = word()
			self.phrase = f"hold the trigger {self.term} for ten seconds"
			words[audience, private] = (self.term, *self.manual_article(audience=audience, private=private))
		(
			(public_word, public_article, _),
			(private_word, private_article, private_file),
			(
				internal_word,
				internal_article,
				internal_file,
			),
		) = words.values()
		# a public file attached to an article that is not for the public is made private at once
		self.assertEqual(frappe.db.get_value("File", internal_file.name, "is_private"), 1)

		def found(term, user):
			return [r["article"] for r in search_rows(term, user=user)]

		self.assertEqual(found(public_word, "Guest"), [public_article])
		self.assertEqual(found(private_word, "Guest"), [])  # a Public article's private file
		self.assertEqual(found(internal_word, "Guest"), [])
		# a signed-in customer reads the Public article's private file, never the Internal one's
		self.assertEqual(found(private_word, self.customer), [private_article])
		self.assertEqual(found(internal_word, self.customer), [])
		# the file URLs: Frappe refuses guests every private file; a customer gets only what they may read
		for attached in (private_file, internal_file):
			with self.assertRaises(Forbidden):
				self.download(frappe.db.get_value("File", attached.name, "file_url"), "Guest")
		with self.assertRaises(Forbidden):
			self.download(frappe.db.get_value("File", internal_file.name, "file_url"), self.customer)
		url = search_rows(private_word, user=self.customer)[0]["file"]["url"]
		self.assertTrue(self.open_result(url, self.customer).startswith(b"%PDF"))
		with self.assertRaises(frappe.PermissionError):
			self.open_result(url, "Guest")  # the link, sent on by the customer, opens nothing for a guest
		public_url = search_rows(public_word, user="Guest")[0]["file"]["url"]
		self.assertTrue(self.open_result(public_url, "Guest").startswith(b"%PDF"))
		internal_hash = frappe.db.get_value("File", internal_file.name, "content_hash")
		with as_user(self.customer), self.assertRaises(frappe.PermissionError):
			files_api.open_file(internal_article, internal_hash)
		# the text read from files is for managers only
		for user in (self.agent, self.customer, "Guest"):
			self.assertFalse(frappe.has_permission(files.FILE_TEXT, "read", user=user), user)

	def test_files_that_cannot_be_read_say_why_on_the_article_and_the_save_goes_through(self):
		from pypdf import PdfReader, PdfWriter

		override_settings(self, "KM Search Settings", attachment_max_mb=1)
		article = self.f.article(audience="Customer")
		writer = PdfWriter(clone_from=PdfReader(io.BytesIO(manual_pdf(["Secret page."]))))
		writer.encrypt(user_password="k3y", owner_password="k3y")
		locked = io.BytesIO()
		writer.write(locked)
		with patch.object(frappe, "log_error") as log_error:  # (the Error Log would outlive the test)
			self.attach(article.name, locked.getvalue(), name=f"{unique('locked')}.pdf")
			# (Frappe itself refuses to store a PDF it cannot parse; a damaged .docx gets through)
			self.attach(article.name, b"PK\x03\x04" + os.urandom(2000), name=f"{unique('broken')}.docx")
			self.attach(article.name, b"lorem ipsum " * 100_000, name=f"{unique('huge')}.txt")
		statuses = articles_api.file_statuses(article.name)
		# each one has its entry in the Error Log, with the same sentence as the article
		logged = [c.kwargs["message"] for c in log_error.call_args_list]
		self.assertEqual(sorted(logged), sorted(s["message"] for s in statuses))
		self.assertEqual([s["state"] for s in statuses], ["problem"] * 3, statuses)
		text = " ".join(s["message"] for s in statuses)
		self.assertIn("protected by a password", text)
		self.assertIn("looks damaged", text)
		self.assertIn("larger than the 1.0 MB", text)
		# the article still publishes; only its readable text would be searched
		self.publish(article.name)
		self.assertEqual(frappe.db.get_value("KM Article", article.name, "status"), C.PUBLISHED)
		with as_user(self.customer), self.assertRaises(frappe.PermissionError):
			articles_api.file_statuses(article.name)

	def test_the_daily_reconcile_reads_what_a_lost_job_left_unread(self):
		article, attached = self.manual_article()
		content_hash = frappe.db.get_value("File", attached.name, "content_hash")
		frappe.delete_doc(files.FILE_TEXT, content_hash, ignore_permissions=True)
		self.assertGreaterEqual(files.reconcile(), 1)
		self.assertEqual(frappe.db.get_value(files.FILE_TEXT, content_hash, "status"), C.FILE_EXTRACTED)
		rows = search_rows(self.term, user=self.agent)
		self.assertEqual((rows[0]["article"], rows[0]["file"]["page"]), (article, 3))

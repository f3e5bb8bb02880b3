"""The files of an article and of its versions.

Files attached to the working copy (KM Article) are the next version's; publishing freezes them: each
becomes a File attached to the new KM Article Version too (Frappe keeps the bytes on disk while any
File refers to them, so replacing or deleting the draft's file never changes a published version),
and the version's content hash covers their content hashes, so a version with other files is another
version. Search indexes the live version's files; readers open them through Frappe's own file URLs,
which ask the version's read permission (km_crm.permissions.readers).

Files of an article that is not for the public are kept private (a public file is served to anyone
who has its URL): at attach time, and at publishing for the version's audience.
"""

import frappe
from frappe.utils import cint

from km_crm import constants as C

ARTICLE = "KM Article"
VERSION = "KM Article Version"
FILE_FIELDS = ("name", "file_name", "file_url", "is_private", "content_hash")


def attached_files(doctype: str, name: str) -> list:
	"""The files attached to one record (folders and remote links left out), in a stable order."""
	rows = frappe.get_all(
		"File",
		filters={"attached_to_doctype": doctype, "attached_to_name": name, "is_folder": 0},
		fields=list(FILE_FIELDS),
		order_by="file_name asc, name asc",
	)
	return [r for r in rows if r.content_hash and not _is_remote(r.file_url)]


def _is_remote(url: str | None) -> bool:
	return bool(url) and not url.startswith(("/files/", "/private/files/"))


def files_record(rows) -> list[dict]:
	"""What a version records of its files: name and content hash, one row per distinct content."""
	seen, record = set(), []
	for r in sorted(rows, key=lambda r: (r.content_hash, r.file_name or "")):
		if r.content_hash not in seen:
			seen.add(r.content_hash)
			record.append({"file_name": r.file_name or "", "content_hash": r.content_hash})
	return record


def freeze(article: str, version: str, audience: str) -> None:
	"""Attach the working copy's files to the version just frozen (private when it is not Public)."""
	for row in attached_files(ARTICLE, article):
		if audience != C.PUBLIC and not cint(row.is_private):
			make_private(row.name)
			row = frappe.db.get_value("File", row.name, list(FILE_FIELDS), as_dict=True)
		_copy(row, VERSION, version)


def _copy(row, doctype: str, name: str) -> None:
	"""Another File for the same bytes, attached to `doctype` `name` (no second copy on disk)."""
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": row.file_name,
			"file_url": row.file_url,
			"is_private": row.is_private,
			"attached_to_doctype": doctype,
			"attached_to_name": name,
		}
	).insert(ignore_permissions=True)


def restore(article: str, version: str) -> None:
	"""An old version restored as the draft brings its files back: those the working copy lacks are
	attached to it again (files added since stay; the author removes what the draft no longer needs)."""
	have = {r.content_hash for r in attached_files(ARTICLE, article)}
	for row in attached_files(VERSION, version):
		if row.content_hash not in have:
			have.add(row.content_hash)
			_copy(row, ARTICLE, article)


def make_private(file_name: str) -> None:
	"""Move a public file to the private folder (Frappe moves the bytes and every File that shares them)."""
	doc = frappe.get_doc("File", file_name)
	if not cint(doc.is_private):
		doc.is_private = 1
		doc.save(ignore_permissions=True)


def version_file(version: str, content_hash: str):
	"""The File of a version holding that content (its URL opens it under the version's permission)."""
	rows = frappe.get_all(
		"File",
		filters={"attached_to_doctype": VERSION, "attached_to_name": version, "content_hash": content_hash},
		fields=list(FILE_FIELDS),
		limit=1,
	)
	return rows[0] if rows else None

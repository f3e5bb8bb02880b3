"""The files of live articles, opened from a search result ("Manual.pdf, page 4"): one door for the
desk, the portal and tickets, under the same rule as the article (km_crm.permissions.readers)."""

import os

import frappe
from frappe import _

from km_crm.knowledge import version_files
from km_crm.permissions import readers
from km_crm.rate_limits import check_rate

#: opened in the browser (a PDF at its page); anything else is downloaded, never rendered by the site
INLINE_EXTENSIONS = frozenset({".pdf", ".txt", ".png", ".jpg", ".jpeg", ".gif"})
FILES_PER_MINUTE = 120


@frappe.whitelist(allow_guest=True, methods=["GET"])
def open_file(article: str, file: str) -> None:
	"""A file of the article's live version, by its content hash, for a reader who may read that
	version; a private file never to a guest."""
	check_rate("file", FILES_PER_MINUTE)
	version = readers.readable_live_version(article)
	row = version_files.version_file(version, file) if version else None
	if not row:
		raise frappe.PermissionError(_("This file is not part of an article you may read."))
	if row.is_private and frappe.session.user == "Guest":
		raise frappe.PermissionError(_("Sign in to open this file."))
	content = frappe.get_doc("File", row.name).get_content()
	inline = os.path.splitext(row.file_name or "")[1].lower() in INLINE_EXTENSIONS
	frappe.local.response.update(
		{
			"type": "download",
			"filename": row.file_name,
			"filecontent": content.encode() if isinstance(content, str) else content,
			"display_content_as": "inline" if inline else "attachment",
		}
	)

"""Whether the site's scheduler runs, said where a figure waits for it (reports fed by scheduled jobs)."""

import frappe
from frappe import _
from frappe.utils.scheduler import is_scheduler_inactive


def off_note() -> str:
	"""The sentence for a site whose scheduler does not run (HTML); empty when it runs."""
	if not is_scheduler_inactive(verbose=False):
		return ""
	return _(
		"The scheduler is not running on this site: switch it on in System Settings (Enable Scheduled Jobs) or with {0}."
	).format(f"<code>bench --site {frappe.utils.escape_html(frappe.local.site)} enable-scheduler</code>")


def paragraphs(*lines: str) -> str:
	return "".join(f"<p>{line}</p>" for line in lines if line)

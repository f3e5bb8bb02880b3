"""bench commands: `bench --site SITE km-crm-reindex` rebuilds the knowledge search index."""

import click

from frappe.commands import get_site, pass_context


@click.command("km-crm-reindex")
@click.option("--reconcile", is_flag=True, help="Only repair what is missing or stale instead of rebuilding")
@pass_context
def reindex(context, reconcile=False):
	"""Rebuild (or reconcile) the km_crm knowledge search index of a site."""
	import frappe

	from km_crm.search import indexer

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if reconcile:
			result = indexer.reconcile()
			click.echo(f"Reconciled: {result['indexed']} articles indexed, {result['deleted']} removed.")
			return
		with click.progressbar(
			length=max(1, len(indexer.live_article_names())), label="Indexing articles"
		) as bar:
			last = [0]

			def progress(done, total):
				bar.update(done - last[0])
				last[0] = done

			passages = indexer.rebuild(progress)
		click.echo(f"Indexed {last[0]} articles ({passages} passages).")
	finally:
		frappe.destroy()


commands = [reindex]

"""bench commands: `bench --site SITE km-crm-reindex` rebuilds the knowledge search index and makes
the search vectors that are missing or stale (semantic search)."""

import click

from frappe.commands import get_site, pass_context


@click.command("km-crm-reindex")
@click.option("--reconcile", is_flag=True, help="Only repair what is missing or stale instead of rebuilding")
@click.option("--no-vectors", is_flag=True, help="Leave the search vectors to the background jobs")
@pass_context
def reindex(context, reconcile=False, no_vectors=False):
	"""Rebuild (or reconcile) the km_crm knowledge search index of a site, and its vectors."""
	import frappe

	from km_crm.search import indexer

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if reconcile:
			result = indexer.reconcile()
			click.echo(f"Reconciled: {result['indexed']} articles indexed, {result['deleted']} removed.")
		else:
			_rebuild(indexer)
		if not no_vectors:
			_embed()
	finally:
		frappe.destroy()


def _rebuild(indexer) -> None:
	with click.progressbar(
		length=max(1, len(indexer.live_article_names())), label="Indexing articles"
	) as bar:
		last = [0]

		def progress(done, total):
			bar.update(done - last[0])
			last[0] = done

		passages = indexer.rebuild(progress)
	click.echo(f"Indexed {last[0]} articles ({passages} passages).")


def _embed() -> None:
	"""Vectors for what has none or a stale one (unchanged texts keep theirs)."""
	import time

	from km_crm.search import embedding, semantic
	from km_crm.tickets import ticket_index

	if not semantic.enabled():
		reason = embedding.unavailable_reason() or "switched off in KM Search Settings"
		click.echo(f"Search by meaning is off ({reason}): no vectors made.")
		return
	for label, job in (
		("articles", semantic.embed_articles),
		("resolved tickets", ticket_index.embed_vectors),
	):
		start = time.monotonic()
		result = job()
		click.echo(
			f"Vectors of {label}: {result['embedded']} made, {result['removed']} removed"
			+ (f", {result['pages']} pages of attached files stored" if "pages" in result else "")
			+ f" in {time.monotonic() - start:.0f} s."
		)
	counts = semantic.update_question_means()
	click.echo(
		"Question means (a question finds answers in the other language): "
		+ (", ".join(f"{lang} from {n} questions" for lang, n in counts.items()) or "too few questions yet")
	)


commands = [reindex]

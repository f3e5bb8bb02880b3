import frappe
from frappe import _
from frappe.model.document import Document


class KMSearchSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		backend: DF.Literal["tantivy", "elasticsearch"]
		es_api_key: DF.Password | None
		es_password: DF.Password | None
		es_url: DF.Data | None
		es_username: DF.Data | None
		guest_searches_per_minute: DF.Int
		heading_weight: DF.Float
		index_prefix: DF.Data | None
		lead_weight: DF.Float
		log_searches: DF.Check
		semantic_search: DF.Check
		text_weight: DF.Float
		title_weight: DF.Float
		trusted_proxies: DF.SmallText | None
		use_usage_signals: DF.Check
		user_searches_per_minute: DF.Int
		verify_certs: DF.Check
		search_attachments: DF.Check
		attachment_max_mb: DF.Int
		attachment_max_pages: DF.Int
		attachment_time_limit: DF.Int

	# end: auto-generated types
	def onload(self):
		from km_crm.search import semantic

		self.set_onload("semantic_status", semantic.status())

	def validate(self):
		self.check_trusted_proxies()
		if self.backend == "elasticsearch" and not (self.es_url or "").startswith(("http://", "https://")):
			frappe.throw(_("The Elasticsearch URL must start with http:// or https://"))
		if self.backend == "elasticsearch" and any(
			self.has_value_changed(f)
			for f in ("backend", "es_url", "es_username", "es_password", "es_api_key")
		):
			self.check_elasticsearch()

	def check_trusted_proxies(self):
		from km_crm.client_address import parse_networks

		_networks, invalid = parse_networks(self.trusted_proxies)
		if invalid:
			frappe.throw(
				_("Trusted Proxies takes IP addresses or ranges such as 10.0.0.0/8, not {0}.").format(
					", ".join(invalid)
				),
				title=_("Trusted Proxies"),
			)

	def check_elasticsearch(self):
		"""Before the site's search moves to a server: it answers, and this bench's client can talk
		to it (otherwise every search would run in reduced mode and the rebuild job would fail)."""
		from km_crm.search import es_compat
		from km_crm.search.backend import SearchBackendError
		from km_crm.search.elastic_backend import client_major, server_version

		settings = {
			"es_url": self.es_url,
			"es_username": self.es_username,
			"es_password": self.get_password("es_password", raise_exception=False)
			if self.es_password
			else None,
			"es_api_key": self.get_password("es_api_key", raise_exception=False) if self.es_api_key else None,
			"verify_certs": bool(self.verify_certs),
		}
		try:
			version = server_version(settings)
		except SearchBackendError:
			frappe.throw(
				_(
					"No Elasticsearch answers at {0} with these credentials. Check the URL, user and "
					"password or API key, or keep the embedded search (tantivy)."
				).format(self.es_url),
				title=_("Elasticsearch"),
			)
		major = client_major()
		if not es_compat.client_matches(version, major):
			command = f"bench pip install '{es_compat.client_for(version)}'"
			if major is None:
				message = _(
					"This bench has no Elasticsearch client. Install it with {0}, then restart the bench."
				)
				frappe.throw(message.format(command), title=_("Elasticsearch"))
			frappe.throw(
				_(
					"Elasticsearch {0} needs the client of its own major version, and this bench has the "
					"{1}.x client. Install the matching one with {2}, then restart the bench."
				).format(version, major, command),
				title=_("Elasticsearch"),
			)

	def on_update(self):
		if (
			self.has_value_changed("backend")
			or self.has_value_changed("es_url")
			or self.has_value_changed("index_prefix")
			# the live articles' files join the index, or leave it
			or self.has_value_changed("search_attachments")
		):
			from km_crm.search.indexer import enqueue_rebuild

			enqueue_rebuild()
		if self.semantic_search and (
			self.has_value_changed("semantic_search") or self.has_value_changed("backend")
		):
			# vectors live with the engine: a new engine, or semantic search switched on, embeds
			from km_crm.search import semantic

			semantic.enqueue(semantic.ARTICLES_JOB)
			semantic.enqueue(semantic.TICKETS_JOB)

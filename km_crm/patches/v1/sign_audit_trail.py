"""The audit trail's hashes became keyed with a per-site secret: re-sign the chains that are intact."""

from km_crm.knowledge import audit


def execute():
	audit.sign_legacy_chains()

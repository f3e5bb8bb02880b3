"""Errors raised by km_crm, so callers and tests can tell them apart."""

import frappe
from frappe import _

from km_crm.rule_error import RuleError


class KMError(frappe.ValidationError):
	pass


class LifecycleError(KMError):
	"""An action that the article's current state does not allow."""


class NotAllowedToPublish(frappe.PermissionError):
	pass


class NotACommitteeMember(frappe.PermissionError):
	pass


class AuthorCannotVote(frappe.PermissionError):
	pass


class VoteError(KMError):
	"""A vote that cannot be cast: twice, too late, round closed, unknown decision."""


class ImmutableRecordError(frappe.PermissionError):
	"""Votes, versions and audit events are never edited or deleted."""


class NoCommitteeError(KMError):
	pass


class QuorumError(KMError):
	pass


def translated(error: RuleError) -> str:
	"""A rule module's error in the user's language: template translated first, values filled in after."""
	values = {k: _(v) if isinstance(v, str) else v for k, v in error.values.items()}
	return _(error.template).format(**values)

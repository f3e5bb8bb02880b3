"""Errors raised by km_crm, so callers and tests can tell them apart."""

import frappe


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

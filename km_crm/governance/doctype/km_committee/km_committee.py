import frappe
from frappe import _
from frappe.model.document import Document

from km_crm import constants as C
from km_crm.exceptions import QuorumError, translated
from km_crm.governance import quorum


class KMCommittee(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from km_crm.governance.doctype.km_committee_audience.km_committee_audience import KMCommitteeAudience
		from km_crm.governance.doctype.km_committee_category.km_committee_category import KMCommitteeCategory
		from km_crm.governance.doctype.km_committee_member.km_committee_member import KMCommitteeMember

		approval_percent: DF.Percent
		audiences: DF.Table[KMCommitteeAudience]
		categories: DF.TableMultiSelect[KMCommitteeCategory]
		committee_name: DF.Data
		description: DF.SmallText | None
		enabled: DF.Check
		escalation_user: DF.Link | None
		members: DF.Table[KMCommitteeMember]
		min_approvals: DF.Int
		reminder_interval_hours: DF.Int
		review_window_days: DF.Int

	# end: auto-generated types
	def validate(self):
		self.drop_duplicate_members()
		self.drop_duplicate_audiences()
		self.check_quorum_rule()

	def on_update(self):
		self.grant_member_role()
		self.reevaluate_open_reviews()

	def reevaluate_open_reviews(self):
		"""A member who leaves mid-round no longer counts; the round may now be decidable."""
		from km_crm.governance import actions

		for name in frappe.get_all(
			"KM Review", filters={"committee": self.name, "status": "Open"}, pluck="name"
		):
			actions.evaluate(frappe.get_doc("KM Review", name), committee=self)

	def drop_duplicate_members(self):
		seen, rows = set(), []
		for row in self.members:
			if row.user and row.user not in seen:
				seen.add(row.user)
				rows.append(row)
		self.set("members", rows)

	def drop_duplicate_audiences(self):
		seen, rows = set(), []
		for row in self.audiences:
			if row.audience not in seen:
				seen.add(row.audience)
				rows.append(row)
		self.set("audiences", rows)

	def check_quorum_rule(self):
		try:
			rule = self.quorum_rule()
		except quorum.QuorumRuleError as e:
			frappe.throw(translated(e), QuorumError)
		if self.enabled and self.members:
			required = quorum.required_approvals(rule, len(self.members))
			if required > len(self.members):
				frappe.msgprint(
					_(
						"This committee needs {0} approvals but has only {1} members, so no review could be approved yet."
					).format(required, len(self.members)),
					indicator="orange",
					alert=True,
				)

	def grant_member_role(self):
		"""Members get the KM Committee Member role so the Knowledge workspace and reviews show up for them."""
		for row in self.members:
			if frappe.db.exists(
				"Has Role", {"parent": row.user, "role": C.ROLE_COMMITTEE_MEMBER, "parenttype": "User"}
			):
				continue
			user = frappe.get_doc("User", row.user)
			user.flags.ignore_permissions = True
			user.add_roles(C.ROLE_COMMITTEE_MEMBER)

	def quorum_rule(self) -> quorum.QuorumRule:
		return quorum.QuorumRule.from_percent(self.min_approvals, self.approval_percent)

	def member_users(self) -> list[str]:
		return [row.user for row in self.members if row.user]

	def audience_rule(self, audience: str):
		return next((row for row in self.audiences if row.audience == audience), None)

	def covers(self, category: str | None, audience: str) -> int:
		"""How specifically this committee covers an article: 0 = not at all, higher = closer category."""
		if not self.enabled or not self.audience_rule(audience):
			return 0
		scopes = [row.category for row in self.categories if row.category]
		if not scopes:
			return 1
		if not category:
			return 0
		lft, rgt = frappe.db.get_value("KM Category", category, ["lft", "rgt"]) or (None, None)
		best = 0
		for scope in scopes:
			s_lft, s_rgt = frappe.db.get_value("KM Category", scope, ["lft", "rgt"]) or (None, None)
			if None not in (lft, s_lft) and s_lft <= lft and rgt <= s_rgt:
				best = max(best, 2 + s_lft)
		return best


def committee_for(category: str | None, audience: str):
	"""The enabled committee that covers this category and audience most specifically, or None."""
	best, best_score = None, 0
	for name in frappe.get_all("KM Committee", filters={"enabled": 1}, pluck="name", order_by="name asc"):
		committee = frappe.get_doc("KM Committee", name)
		score = committee.covers(category, audience)
		if score > best_score:
			best, best_score = committee, score
	return best

"""The knowledge roles km_crm ships (KCS licence levels plus committee and management)."""

KM_ROLES = (
	"KM Candidate",
	"KM Contributor",
	"KM Publisher",
	"KM Coach",
	"KM Committee Member",
	"KM Manager",
)

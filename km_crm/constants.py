"""The names km_crm's rules are written in: roles, statuses, audiences, link types (pure, one place).

Every other module imports these; none spells them out again.
"""

# --- Roles -------------------------------------------------------------------------------------------
ROLE_CANDIDATE = "KM Candidate"
ROLE_CONTRIBUTOR = "KM Contributor"
ROLE_PUBLISHER = "KM Publisher"
ROLE_COACH = "KM Coach"
ROLE_COMMITTEE_MEMBER = "KM Committee Member"
ROLE_MANAGER = "KM Manager"
ROLE_SYSTEM_MANAGER = "System Manager"
ADMINISTRATOR = "Administrator"
GUEST = "Guest"
#: Frappe's website role for a customer's portal user
CUSTOMER_ROLE = "Customer"

#: The roles km_crm ships (KCS licence levels plus committee and management)
KM_ROLES = (
	ROLE_CANDIDATE,
	ROLE_CONTRIBUTOR,
	ROLE_PUBLISHER,
	ROLE_COACH,
	ROLE_COMMITTEE_MEMBER,
	ROLE_MANAGER,
)
#: Roles that write articles (a KM Committee Member reviews, it does not author)
AUTHOR_ROLES = (ROLE_CANDIDATE, ROLE_CONTRIBUTOR, ROLE_PUBLISHER, ROLE_COACH, ROLE_MANAGER)
#: Roles that may submit articles and edit them
SUBMIT_ROLES = frozenset((*AUTHOR_ROLES, ROLE_SYSTEM_MANAGER))
#: Roles that may publish without a committee round, where the committee allows it
DIRECT_PUBLISH_ROLES = frozenset({ROLE_PUBLISHER, ROLE_MANAGER})
#: Roles that manage the knowledge base: withdraw anyone's review, hand an article to a new owner
MANAGER_ROLES = frozenset({ROLE_MANAGER, ROLE_SYSTEM_MANAGER})
#: Roles that read every article in every state (drafts and earlier versions included)
EDITOR_ROLES = frozenset((*KM_ROLES, ROLE_SYSTEM_MANAGER))
#: Desk roles that read live knowledge of every audience unless an administrator changes the setting
#: (roles that do not exist on a site are skipped; Helpdesk's agent roles count when it is installed)
DEFAULT_READER_ROLES = (
	"Support Team",
	"Sales User",
	"Sales Manager",
	"Agent",
	"Agent Manager",
	ROLE_SYSTEM_MANAGER,
)

#: Roles of the people who work tickets (KCS participation counts them; roles a site lacks are skipped)
AGENT_ROLES = ("Support Team", "Agent", "Agent Manager")

# --- Article statuses --------------------------------------------------------------------------------
DRAFT = "Draft"
IN_REVIEW = "In Review"
PUBLISHED = "Published"
NEEDS_REVIEW = "Needs Review"
ARCHIVED = "Archived"
STATUSES = (DRAFT, IN_REVIEW, PUBLISHED, NEEDS_REVIEW, ARCHIVED)
#: Statuses in which the working copy is the live version (no next version is being drafted)
LIVE_WORKING_COPY_STATUSES = (PUBLISHED, NEEDS_REVIEW)

# --- Review rounds -----------------------------------------------------------------------------------
REVIEW_OPEN = "Open"
REVIEW_APPROVED = "Approved"
REVIEW_CHANGES_REQUESTED = "Changes Requested"
REVIEW_REJECTED = "Rejected"
REVIEW_EXPIRED = "Expired"
REVIEW_CANCELLED = "Cancelled"
REVIEW_TYPE_PUBLISH = "Publish"
REVIEW_TYPE_RETIRE = "Retire"

# --- Audiences ---------------------------------------------------------------------------------------
INTERNAL = "Internal"
CUSTOMER = "Customer"
PARTNER = "Partner"
PUBLIC = "Public"
AUDIENCES = (INTERNAL, CUSTOMER, PARTNER, PUBLIC)

# --- Tickets -----------------------------------------------------------------------------------------
ISSUE = "Issue"
HD_TICKET = "HD Ticket"
TICKET_DOCTYPES = (ISSUE, HD_TICKET)

# --- Routing to experts (KM Settings > Experts) ------------------------------------------------------
ROUTE_ALWAYS = "Every ticket nobody took"
ROUTE_NO_ARTICLE = "Only when no article matches the ticket"

LINK_SOLVED = "Solved"
LINK_REFERENCED = "Referenced"
LINK_CREATED_FROM = "Created From"
LINK_TYPES = (LINK_SOLVED, LINK_REFERENCED, LINK_CREATED_FROM)

# --- Reader feedback ---------------------------------------------------------------------------------
FEEDBACK_OUTDATED = "Outdated"
FEEDBACK_INCORRECT = "Incorrect"
FEEDBACK_UNCLEAR = "Unclear"
FEEDBACK_DID_NOT_SOLVE = "Did not solve my problem"
FEEDBACK_REASONS = (FEEDBACK_OUTDATED, FEEDBACK_INCORRECT, FEEDBACK_UNCLEAR, FEEDBACK_DID_NOT_SOLVE)
#: reasons that, often enough on the live version, send an article back to review
FEEDBACK_REVIEW_REASONS = (FEEDBACK_OUTDATED, FEEDBACK_INCORRECT)

# --- Self-service deflection (ticket forms customers fill in) ----------------------------------------
CHANNEL_ERPNEXT_PORTAL = "ERPNext Portal"
CHANNEL_HELPDESK_PORTAL = "Helpdesk Portal"
DEFLECTION_CHANNELS = (CHANNEL_ERPNEXT_PORTAL, CHANNEL_HELPDESK_PORTAL)
EVENT_SHOWN = "Shown"
EVENT_OPENED = "Opened"
EVENT_SOLVED = "Solved"
EVENT_SUBMITTED = "Submitted"
DEFLECTION_EVENTS = (EVENT_SHOWN, EVENT_OPENED, EVENT_SOLVED, EVENT_SUBMITTED)
OUTCOME_OPEN = "Open"
OUTCOME_DEFLECTED = "Deflected"
OUTCOME_POTENTIAL = "Potential Deflection"
OUTCOME_SUBMITTED = "Ticket Submitted"
OUTCOME_NOTHING_OPENED = "No Article Opened"
DEFLECTION_OUTCOMES = (
	OUTCOME_OPEN,
	OUTCOME_DEFLECTED,
	OUTCOME_POTENTIAL,
	OUTCOME_SUBMITTED,
	OUTCOME_NOTHING_OPENED,
)

# --- Recognition (Frappe Energy Point Rules shipped as fixtures): reuse by others, never self-reuse ----
RULE_PUBLISHED_REUSED = "Knowledge: published article reused by another agent"
RULE_REUSED = "Knowledge: article reused on a ticket"
RULE_DEFLECTED = "Knowledge: confirmed deflection"
RULE_HELPFUL = "Knowledge: readers found an article helpful"
RULE_VOTE = "Knowledge: review vote cast"
ENERGY_POINT_RULES = (RULE_PUBLISHED_REUSED, RULE_REUSED, RULE_DEFLECTED, RULE_HELPFUL, RULE_VOTE)
RULE_PUBLISHED_RETIRED = "Knowledge: article published"  # points per published version, until 2026-12

# --- Link accuracy (KCS): a coach's verdict on a sampled ticket link ------------------------------------
LINK_RIGHT = "Right Article"
LINK_WRONG = "Wrong Article"
LINK_VERDICTS = (LINK_RIGHT, LINK_WRONG)

# --- Files attached to articles: what reading one to text gave (KM File Text) -------------------------
FILE_EXTRACTED = "Extracted"
FILE_NO_TEXT = "No Text Layer"  # a scanned document: pages without text (no OCR)
FILE_REFUSED = "Refused"  # over a limit (size, pages, unpacked size) or of a kind not read
FILE_FAILED = "Failed"  # encrypted, broken, or took longer than the time limit
FILE_STATUSES = (FILE_EXTRACTED, FILE_NO_TEXT, FILE_REFUSED, FILE_FAILED)
#: Frappe gives every signed-in user this role (guests have only "Guest"): passages of private files
#: are indexed with it, so guests never find them
SIGNED_IN_ROLE = "All"

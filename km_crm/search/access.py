"""Which audiences a reader may see (pure)."""

INTERNAL, CUSTOMER, PARTNER, PUBLIC = "Internal", "Customer", "Partner", "Public"
ALL_AUDIENCES = (INTERNAL, CUSTOMER, PARTNER, PUBLIC)
CUSTOMER_ROLE = "Customer"


def audiences_for(
	user: str, user_type: str | None, roles, partner_role: str | None = None
) -> tuple[str, ...]:
	"""Desk users (employees) see every audience; portal users see Public plus what their roles open;
	guests see Public only."""
	if not user or user == "Guest":
		return (PUBLIC,)
	if user == "Administrator" or user_type == "System User":
		return ALL_AUDIENCES
	roles = set(roles or ())
	allowed = [PUBLIC]
	if CUSTOMER_ROLE in roles:
		allowed.append(CUSTOMER)
	if partner_role and partner_role in roles:
		allowed.append(PARTNER)
	return tuple(allowed)


def query_key(text: str | None, max_len: int = 140) -> str:
	"""A normalised form of a query, to group the same question asked differently."""
	import unicodedata

	text = unicodedata.normalize("NFKC", text or "").casefold()
	return " ".join(text.split())[:max_len]

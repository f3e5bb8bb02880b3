from frappe.model.document import Document


class KMFileText(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		characters: DF.Int
		content_hash: DF.Data | None
		detail: DF.Code | None
		extracted_on: DF.Datetime | None
		file_name: DF.Data | None
		message: DF.SmallText | None
		pages: DF.Int
		parts: DF.LongText | None
		problem: DF.Data | None
		seconds: DF.Float
		status: DF.Literal["Extracted", "No Text Layer", "Refused", "Failed"]
		vector_model: DF.Data | None
	# end: auto-generated types
	"""Written by the extraction job (km_crm.attachments.files) only; deleting one makes the next
	reconcile read its file again."""

// Desk form of a committee review round: read the article under review (and what changed against
// the live version), vote once, see every vote and the tally.

frappe.ui.form.on("KM Review", {
	refresh(frm) {
		frm.add_custom_button(__("Open Article"), () => frappe.set_route("Form", "KM Article", frm.doc.article));
		km_review.render_votes(frm);
		km_review.render_content(frm);
		if (frm.doc.status !== "Open") return;
		frappe
			.call("km_crm.api.reviews.my_vote_status", { review: frm.doc.name })
			.then((r) => {
				if (!r.message.can_vote) return;
				const vote = (decision, label, comment_required) =>
					frm.add_custom_button(__(label), () => km_review.vote(frm, decision, comment_required), __("Vote"));
				vote("Approve", "Approve", false);
				vote("Request Changes", "Request Changes", true);
				vote("Reject", "Reject", true);
				frm.page.set_inner_btn_group_as_primary(__("Vote"));
			});
	},
});

const km_review = {
	vote(frm, decision, comment_required) {
		frappe.prompt(
			[
				{
					fieldname: "comment",
					fieldtype: "Small Text",
					label: comment_required ? __("What should change?") : __("Comment"),
					reqd: comment_required ? 1 : 0,
				},
			],
			({ comment }) =>
				frappe
					.call({
						method: "km_crm.api.reviews.cast_vote",
						args: { review: frm.doc.name, decision, comment },
						freeze: true,
					})
					.then((r) => {
						frappe.show_alert({ message: __("Your vote was recorded. Votes cannot be changed."), indicator: "green" });
						frm.reload_doc();
					}),
			__("{0}: a vote is final", [__(decision)]),
			__("Cast Vote")
		);
	},

	// The content comes from the server already cleaned by the article's allow-list (sanitize.py),
	// and the changes table escapes every piece of article text; titles and labels are escaped here.
	render_content(frm) {
		const wrapper = frm.get_field("content_html").$wrapper;
		const esc = frappe.utils.escape_html;
		frappe
			.call({ method: "km_crm.api.reviews.get_review_content", args: { review: frm.doc.name }, silent: true })
			.then((r) => {
				const c = r.message;
				const note = c.note ? `<p class="text-muted">${esc(c.note)}</p>` : "";
				let changes = "";
				if (c.compared_with) {
					const heading = __("Changes against the live version {0}", [esc(c.compared_with)]);
					changes = `<div class="km-review-changes"><h4>${heading}</h4>${
						c.changes_html || `<p class="text-muted">${__("No changes against the live version.")}</p>`
					}</div>`;
				}
				const sections = c.sections
					.map(
						(s) => `<div class="km-version-section" data-field="${esc(s.field)}">
							<h4>${esc(s.label)}</h4><div class="km-version-body">${s.html}</div></div>`
					)
					.join("");
				const files = (c.files || []).length
					? `<div class="km-version-section km-review-files"><h4>${__("Attached Files")}</h4><ul>${c.files
							.map(
								(f) =>
									`<li><a href="${esc(f.url)}" target="_blank" rel="noopener">${esc(f.file_name)}</a>${
										f.change_label
											? ` <span class="indicator-pill ${f.change === "removed" ? "red" : "green"}">${esc(
													f.change_label
											  )}</span>`
											: ""
									}</li>`
							)
							.join("")}</ul></div>`
					: "";
				wrapper.html(`${note}${changes}<div class="km-review-article">
					<h3 class="km-review-title">${esc(c.title)}</h3>${sections}${files}</div>`);
			})
			.catch(() => wrapper.html(`<p class="text-muted">${__("You may not read the article under review.")}</p>`));
	},

	render_votes(frm) {
		const wrapper = frm.get_field("votes_html").$wrapper;
		const name = (user) => frappe.utils.escape_html(frappe.user.full_name(user));
		const pending = (frm.doc.pending_voters || "").split("\n").filter(Boolean);
		const waiting =
			pending.length && ["Open", "Expired"].includes(frm.doc.status)
				? `<p>${__("Waiting for: {0}", [pending.map(name).join(", ")])}</p>`
				: "";
		frappe.call("km_crm.api.reviews.get_votes", { review: frm.doc.name }).then((r) => {
			const votes = r.message || [];
			if (!votes.length) {
				wrapper.html(`${waiting}<p class="text-muted">${__("No votes yet.")}</p>`);
				return;
			}
			const colors = { Approve: "green", "Request Changes": "orange", Reject: "red" };
			wrapper.html(
				`${waiting}<table class="table table-bordered"><thead><tr><th>${__("Member")}</th><th>${__("Vote")}</th>
				<th>${__("Comment")}</th><th>${__("When")}</th></tr></thead><tbody>` +
					votes
						.map(
							(v) => `<tr><td>${name(v.voter)}</td>
							<td><span class="indicator-pill ${colors[v.decision]}">${__(v.decision)}</span></td>
							<td>${frappe.utils.escape_html(v.comment || "")}</td>
							<td>${frappe.datetime.str_to_user(v.cast_at)}</td></tr>`
						)
						.join("") +
					"</tbody></table>"
			);
		});
	},
};

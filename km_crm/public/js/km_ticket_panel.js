// Knowledge panel of a ticket form in the desk (ERPNext Issue; Helpdesk's HD Ticket desk form):
// suggested articles that follow what the agent types, links, insert into the reply, similar
// resolved tickets, and "Create Article" on a solved ticket. The server decides what this agent
// may read and what the ticket's contact may receive; the panel only shows it.

frappe.provide("km_crm");

km_crm.TICKET_API = "km_crm.api.tickets.";

km_crm.TicketPanel = class TicketPanel {
	constructor(frm) {
		this.frm = frm;
		this.query = "";
		this.reply = "";
		this.data = null;
		this.make();
	}

	get $wrapper() {
		return this.frm.fields_dict.km_panel && this.frm.fields_dict.km_panel.$wrapper;
	}

	make() {
		if (!this.$wrapper) return;
		this.$wrapper.html(`
			<div class="km-panel">
				<div class="km-panel-search">
					<input type="search" class="form-control input-xs km-panel-query"
						placeholder="${__("Search the knowledge base")}">
				</div>
				<div class="km-panel-body"><div class="text-muted small">${__("Loading suggestions…")}</div></div>
				<div class="km-panel-experts"></div>
			</div>`);
		this.$wrapper.find(".km-panel-query").on(
			"input",
			frappe.utils.debounce((e) => {
				this.query = e.target.value.trim();
				this.refresh();
			}, 400)
		);
		this.$wrapper.on("click", "[data-km-action]", (e) => this.act($(e.currentTarget)));
	}

	// Who has solved tickets like this one (saved tickets only; does not follow the typing)
	load_experts() {
		const $experts = this.$wrapper && this.$wrapper.find(".km-panel-experts");
		if (!$experts || this.frm.is_new()) return $experts && $experts.empty();
		frappe
			.xcall("km_crm.api.experts.for_ticket", { ticket_doctype: this.frm.doctype, ticket: this.frm.doc.name })
			.then((experts) => {
				this.experts = experts;
				$experts.html(
					this.section(__("Experts"), experts.map((x, i) => this.expert_row(x, i)), __("No one else has solved a ticket like this yet."))
				);
			});
	}

	expert_row(x, i) {
		const e = frappe.utils.escape_html;
		const evidence = [...x.tickets, ...x.articles]
			.map((t) => `<a href="${encodeURI(t.route)}">${e(t.name)}</a>`)
			.join(", ");
		return `<div class="km-panel-item km-panel-expert">
			<div class="km-panel-item-head">
				<span class="km-panel-item-title">${frappe.avatar(x.user, "avatar-xs", x.full_name)} ${e(x.full_name)}</span>
				<span class="text-muted small">${__("{0} open", [x.open_tickets])}</span>
			</div>
			<div class="km-panel-snippet">${e(x.reason)}</div>
			${evidence ? `<div class="text-muted small">${evidence}</div>` : ""}
			<div class="km-panel-actions">${
				x.assigned
					? `<span class="indicator-pill green">${__("Assigned")}</span>`
					: `<button class="btn btn-xs btn-default" data-km-action="ask" data-index="${i}">${__("Ask to help")}</button>`
			}</div>
		</div>`;
	}

	ask(x) {
		const dialog = new frappe.ui.Dialog({
			title: __("Ask {0} to help", [x.full_name]),
			fields: [
				{
					fieldname: "note",
					fieldtype: "Small Text",
					label: __("Note"),
					description: __("The ticket is assigned to them as well, with this note."),
				},
			],
			primary_action_label: __("Ask"),
			primary_action: ({ note }) =>
				frappe
					.xcall("km_crm.api.experts.ask", {
						ticket_doctype: this.frm.doctype,
						ticket: this.frm.doc.name,
						user: x.user,
						note: note || "",
					})
					.then((r) => {
						dialog.hide();
						frappe.show_alert({ message: __("Assigned to {0}", [r.full_name]), indicator: "green" });
						this.frm.reload_doc();
					}),
		});
		dialog.show();
	}

	refresh_soon() {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.refresh(), 700);
	}

	refresh() {
		const { frm } = this;
		if (!this.$wrapper) return;
		const text = `${frm.doc.subject || ""}${frm.doc.description || ""}${this.reply}${this.query}`;
		if (!text.trim()) {
			this.render({ results: [], links: [], similar: [] });
			return;
		}
		const token = (this.token = (this.token || 0) + 1);
		frappe
			.call({
				method: km_crm.TICKET_API + "suggest",
				args: {
					ticket_doctype: frm.doctype,
					ticket: frm.is_new() ? null : frm.doc.name,
					subject: frm.doc.subject || "",
					description: frm.doc.description || "",
					reply: this.reply,
					query: this.query,
				},
			})
			.then((r) => token === this.token && this.render(r.message));
	}

	render(data) {
		this.data = data;
		this.frm.remove_custom_button(__("Create Article"), __("Knowledge"));
		if (data.can_capture) {
			this.frm.add_custom_button(__("Create Article"), () => this.capture(), __("Knowledge"));
		}
		const saved = !this.frm.is_new();
		const sections = [
			this.section(__("Linked articles"), (data.links || []).map((l) => this.link_row(l))),
			this.section(
				this.query ? __("Search results") : __("Suggested articles"),
				(data.results || []).map((r, i) => this.result_row(r, i, saved)),
				this.query ? __("No article matches this search.") : __("No article matches this ticket yet.")
			),
			this.section(__("Similar resolved tickets"), (data.similar || []).map((t) => this.ticket_row(t))),
		];
		this.$wrapper.find(".km-panel-body").html(sections.join(""));
		if (!this.query) this.summary(data);
	}

	// The panel sits below the ticket's description: one line at the top of the form says what it
	// holds and leads to it
	summary(data) {
		const { frm } = this;
		const $container = frm.layout && frm.layout.message;
		if (!$container) return;
		$container.find(".km-panel-summary").closest(".form-message").remove();
		const suggested = (data.results || []).length;
		const linked = (data.links || []).length;
		if (this.summary_closed || !(suggested || linked)) {
			if (!$container.children().length) $container.addClass("hidden");
			return;
		}
		const parts = [];
		if (linked) parts.push(linked === 1 ? __("1 linked article") : __("{0} linked articles", [linked]));
		if (suggested) parts.push(suggested === 1 ? __("1 suggested article") : __("{0} suggested articles", [suggested]));
		frm.layout.show_message(
			`<div class="km-panel-summary"><a href="#">${__("Knowledge: {0}", [parts.join(" · ")])}</a></div>`,
			"blue"
		);
		const $block = $container.find(".km-panel-summary").closest(".form-message");
		$block.find("a").on("click", (e) => {
			e.preventDefault();
			frm.scroll_to_field("km_knowledge_section") || frm.scroll_to_field("km_panel");
		});
		$block.find(".close-message").on("click", () => (this.summary_closed = true));
	}

	section(title, rows, empty) {
		if (!rows.length && !empty) return "";
		return `<div class="km-panel-section">
			<div class="km-panel-title">${title}</div>
			${rows.length ? rows.join("") : `<div class="text-muted small">${empty}</div>`}
		</div>`;
	}

	result_row(r, i, saved) {
		const refused = r.insert_refused;
		const disabled = saved ? "" : `disabled title="${__("Save the ticket first")}"`;
		// an article already linked to the ticket says so instead of offering the same link again
		const linked = new Set(
			(this.data.links || []).filter((l) => l.article === r.article).map((l) => l.link_type)
		);
		const link_action = (link_type, action, label) =>
			linked.has(link_type)
				? `<span class="indicator-pill green km-panel-linked">${__(link_type)}</span>`
				: `<button class="btn btn-xs btn-default" data-km-action="${action}" data-index="${i}" ${disabled}>${label}</button>`;
		return `<div class="km-panel-item">
			<div class="km-panel-item-head">
				<a data-km-action="open" data-index="${i}" class="km-panel-item-title">${r.title_html}</a>
				<span class="indicator-pill ${r.audience === "Internal" ? "gray" : "blue"}">${__(r.audience)}</span>
				${r.other_language ? `<span class="indicator-pill orange">${frappe.utils.escape_html(r.language_label)}</span>` : ""}
			</div>
			<div class="km-panel-snippet">${r.snippet_html}</div>
			${
				r.file
					? `<div class="km-panel-file small">${
							r.file.url
								? `<a href="${frappe.utils.escape_html(r.file.url)}" target="_blank" rel="noopener">${frappe.utils.escape_html(__("Found in {0}", [r.file.label]))}</a>`
								: frappe.utils.escape_html(__("Found in {0}", [r.file.label]))
					  }</div>`
					: ""
			}
			<div class="km-panel-actions">
				${link_action("Solved", "solved", __("Solved it"))}
				${link_action("Referenced", "referenced", __("Referenced", null, "Link action"))}
				<button class="btn btn-xs btn-default" data-km-action="insert" data-index="${i}"
					${saved ? (refused ? "disabled" : "") : disabled} title="${__("Insert the answer into your reply")}">${__("Insert into reply")}</button>
			</div>
			${
				refused
					? `<div class="km-panel-refusal">${__("Not for this customer: {0}", [frappe.utils.escape_html(refused)])}</div>`
					: ""
			}
		</div>`;
	}

	link_row(l) {
		const remove =
			l.link_type === "Created From"
				? ""
				: `<a class="km-panel-unlink text-muted" data-km-action="unlink" data-link="${frappe.utils.escape_html(l.name)}" title="${__("Remove link")}">×</a>`;
		return `<div class="km-panel-item km-panel-link">
			<a href="${encodeURI(l.route)}">${frappe.utils.escape_html(l.article_title || l.article)}</a>
			<span class="indicator-pill ${l.link_type === "Solved" ? "green" : "gray"}">${__(l.link_type)}</span>
			${remove}
		</div>`;
	}

	ticket_row(t) {
		return `<div class="km-panel-item">
			<a href="${encodeURI(t.route)}" class="km-panel-item-title">${t.title_html}</a>
			<span class="text-muted small">${frappe.utils.escape_html(t.ticket_type)} ${frappe.utils.escape_html(t.ticket)}</span>
			${t.snippet_html ? `<div class="km-panel-snippet">${t.snippet_html}</div>` : ""}
			${t.resolution_html ? `<div class="km-panel-resolution"><b>${__("Resolution")}:</b> ${t.resolution_html}</div>` : ""}
		</div>`;
	}

	act($el) {
		const action = $el.data("km-action");
		if (action === "ask") return this.ask(this.experts[$el.data("index")]);
		const r = (this.data.results || [])[$el.data("index")];
		if (action === "open") return this.open(r);
		if (action === "solved") return this.link(r, "Solved");
		if (action === "referenced") return this.link(r, "Referenced");
		if (action === "insert") return this.insert(r);
		if (action === "unlink") return this.unlink($el.data("link"));
	}

	open(r) {
		if (this.data.search_id) {
			frappe.xcall("km_crm.api.search.log_click", {
				search_id: this.data.search_id,
				article: r.article,
				channel: "Ticket",
			});
		}
		window.open(r.route, "_blank", "noopener");
	}

	link(r, link_type) {
		frappe
			.call({
				method: km_crm.TICKET_API + "link",
				args: { ticket_doctype: this.frm.doctype, ticket: this.frm.doc.name, article: r.article, link_type },
			})
			.then((res) => {
				frappe.show_alert({ message: __("Linked: {0}", [__(link_type)]), indicator: "green" });
				this.data.links = res.message;
				this.render(this.data);
			});
	}

	unlink(link_name) {
		frappe
			.call({
				method: km_crm.TICKET_API + "unlink",
				args: { ticket_doctype: this.frm.doctype, ticket: this.frm.doc.name, link_name },
			})
			.then((res) => {
				this.data.links = res.message;
				this.render(this.data);
			});
	}

	insert(r) {
		if (r.insert_refused) {
			frappe.msgprint({ title: __("Not for this customer"), message: r.insert_refused, indicator: "orange" });
			return;
		}
		frappe
			.call({
				method: km_crm.TICKET_API + "reply_text",
				args: { ticket_doctype: this.frm.doctype, ticket: this.frm.doc.name, article: r.article },
			})
			.then(({ message }) => {
				// what the knowledge base wrote is not searched as the agent's own words
				const lines = km_crm.ticket_panel.block_lines(km_crm.ticket_panel.parse_html(message.html));
				this.inserted = [...new Set([...(this.inserted || []), ...lines])];
				km_crm.ticket_panel.insert_into_reply(this.frm, message.html);
			});
	}

	// Search before you create: live articles that look like this ticket come first, to link instead
	capture() {
		frappe
			.xcall(km_crm.TICKET_API + "capture_check", { ticket_doctype: this.frm.doctype, ticket: this.frm.doc.name })
			.then((check) => {
				if (check.existing) return this.create_article(false);
				if (!check.articles.length) {
					return frappe.confirm(
						__("Create a draft article from this ticket? Personal data is removed from the text."),
						() => this.create_article(false)
					);
				}
				this.show_close(check.articles);
			});
	}

	show_close(articles) {
		const e = frappe.utils.escape_html;
		const rows = articles.map(
			(a, i) => `<div class="km-panel-item">
				<div class="km-panel-item-head">
					<a href="${encodeURI(a.route)}" target="_blank" rel="noopener" class="km-panel-item-title">${e(a.title)}</a>
					<span class="indicator-pill ${a.audience === "Internal" ? "gray" : "blue"}">${e(a.audience_label)}</span>
				</div>
				<div class="text-muted small">${e(a.article)} · ${e(a.reason)}</div>
				<div class="km-panel-snippet">${a.snippet_html || ""}</div>
				<div class="km-panel-actions">${
					a.linked
						? `<span class="indicator-pill green">${e(a.linked_label)}</span>`
						: `<button class="btn btn-xs btn-primary" data-km-close-link="${i}">${__("Link as solved")}</button>`
				}</div>
			</div>`
		);
		const dialog = new frappe.ui.Dialog({
			title: __("Search before you create"),
			fields: [
				{
					fieldtype: "HTML",
					options: `<p>${__("These live articles look like this ticket:")}</p><div class="km-panel">${rows.join("")}</div>`,
				},
			],
			primary_action_label: __("It is new: create the draft"),
			primary_action: () => {
				dialog.hide();
				this.create_article(true);
			},
			secondary_action_label: __("Cancel"),
			secondary_action: () => dialog.hide(),
		});
		dialog.$wrapper.on("click", "[data-km-close-link]", (ev) => {
			dialog.hide();
			this.link(articles[$(ev.currentTarget).data("km-close-link")], "Solved");
		});
		dialog.show();
	}

	create_article(confirm_new) {
		frappe
			.call({
				method: km_crm.TICKET_API + "create_article",
				args: { ticket_doctype: this.frm.doctype, ticket: this.frm.doc.name, confirm_new: confirm_new ? 1 : 0 },
				freeze: true,
			})
			.then(({ message }) => this.show_capture(message));
	}

	show_capture({ article, existing, removed }) {
		const seen = new Set();
		const rows = (removed || [])
			.filter((r) => !seen.has(r.label + r.original) && seen.add(r.label + r.original))
			.map((r) => `<tr><td>${frappe.utils.escape_html(r.label)}</td><td>${frappe.utils.escape_html(r.original)}</td></tr>`)
			.join("");
		const dialog = new frappe.ui.Dialog({
			title: existing ? __("An article was already created from this ticket") : __("Draft article created"),
			fields: [
				{
					fieldtype: "HTML",
					options: rows
						? `<p>${__("Removed from the text:")}</p><table class="table table-bordered small"><tbody>${rows}</tbody></table>`
						: `<p>${existing ? "" : __("No personal data was found in the ticket's text.")}</p>`,
				},
			],
			primary_action_label: __("Open Article"),
			primary_action: () => {
				dialog.hide();
				frappe.set_route("Form", "KM Article", article);
			},
		});
		dialog.show();
		this.refresh();
	}
};

km_crm.ticket_panel = {
	// the events a ticket form binds (frappe.ui.form.on(doctype, km_crm.ticket_panel.form_events))
	form_events: {
		refresh: (frm) => km_crm.ticket_panel.setup(frm),
		subject: (frm) => km_crm.ticket_panel.changed(frm),
		description: (frm) => km_crm.ticket_panel.changed(frm),
	},

	setup(frm) {
		if (!frm.fields_dict.km_panel) return;
		if (!frm.km_panel || frm.km_panel.frm !== frm || !frm.km_panel.$wrapper.find(".km-panel").length) {
			frm.km_panel = new km_crm.TicketPanel(frm);
		}
		frm.km_panel.refresh();
		frm.km_panel.load_experts();
	},

	changed(frm) {
		frm.km_panel && frm.km_panel.refresh_soon();
	},

	// The reply editor of the desk's email composer, when it is open over this form
	composer_editor(frm) {
		const dialog = window.cur_dialog;
		const fields = (dialog && dialog.display && dialog.fields_dict) || {};
		return window.cur_frm === frm && fields.content && fields.recipients ? fields.content : null;
	},

	parse_html(html) {
		return new DOMParser().parseFromString(html || "", "text/html").body;
	},

	// The text of each paragraph, list item or heading under root, spaces collapsed
	block_lines(root) {
		const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, pre, blockquote, td, th";
		const leaves = [...root.querySelectorAll(BLOCKS)].filter((b) => !b.querySelector(BLOCKS));
		const texts = leaves.length ? leaves.map((b) => b.textContent) : [root.textContent];
		return texts.map((t) => t.replace(/\s+/g, " ").trim()).filter(Boolean);
	},

	// The reply in the editor without the inserted lines (also when the agent typed on after one)
	agents_reply(editor, inserted) {
		const lines = [...(inserted || [])].sort((a, b) => b.length - a.length);
		return km_crm.ticket_panel
			.block_lines(editor)
			.map((line) => lines.reduce((rest, ins) => rest.split(ins).join(" "), line).replace(/\s+/g, " ").trim())
			.filter(Boolean)
			.join("\n");
	},

	insert_into_reply(frm, html) {
		const field = km_crm.ticket_panel.composer_editor(frm);
		if (field) {
			field.set_value(`${field.get_value() || ""}${html}`);
			return;
		}
		const composer = new frappe.views.CommunicationComposer({
			doc: frm.doc,
			frm,
			subject: __("Re: {0}", [frm.doc.subject || ""]),
			recipients: frm.doc.raised_by || "",
			message: html,
		});
		// the composer fills itself asynchronously and stops early when the agent may not read the
		// site's email accounts: make sure the answer is in the message either way
		setTimeout(() => {
			const field = composer.dialog && composer.dialog.fields_dict.content;
			if (field && !strip_html(field.get_value() || "").trim()) field.set_value(html);
		}, 1000);
	},
};

// Suggestions follow the reply the agent types in the email composer, without what the panel
// inserted into it.
$(document).on(
	"input",
	".modal .frappe-control[data-fieldname='content'] .ql-editor",
	frappe.utils.debounce(function () {
		const frm = window.cur_frm;
		if (!frm || !frm.km_panel || !km_crm.ticket_panel.composer_editor(frm)) return;
		frm.km_panel.reply = km_crm.ticket_panel.agents_reply(this, frm.km_panel.inserted);
		frm.km_panel.refresh();
	}, 800)
);

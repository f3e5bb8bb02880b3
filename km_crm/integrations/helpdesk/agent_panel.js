// km_crm knowledge panel for Helpdesk's agent ticket page, installed as an HD Form Script
// (km_crm/integrations/helpdesk/form_script.py). Helpdesk runs setupForm() when the ticket loads; it
// returns a "Knowledge" header action that opens a side panel of suggested articles (following the
// reply the agent types), links, insert into the reply, similar resolved tickets, the experts who
// solved tickets like it (ask one to help) and, on a solved ticket, "Create Article". All data comes
// from km_crm.api.tickets and km_crm.api.experts, which check permissions.
//
// Open, the panel docks at the right edge and Helpdesk's page narrows beside it, so the ticket's own
// sidebar (type, priority, team, assignee) stays in view. It is a non-modal dialog: Helpdesk keeps
// its reply editor open while the agent works in a dialog, so the reply stays visible beside it.
function setupForm({ doc, call, toast, createToast }) {
	const API = "km_crm.api.tickets.";
	const ROOT_ID = "km-crm-knowledge";
	const PANEL_ID = "km-crm-knowledge-panel";
	const PILL_ID = "km-crm-knowledge-pill";
	const STYLE_ID = "km-crm-knowledge-style";
	const OPEN_CLASS = "km-crm-knowledge-open";
	const WIDTH = 360;
	const esc = (s) =>
		String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
	// Helpdesk's own translator (helpdesk.api.general.get_translations holds every app's translations)
	const t = (s, ...args) =>
		typeof window.__ === "function" ? window.__(s, ...args) : s.replace(/{(\d+)}/g, (m, i) => (args[i] == null ? m : args[i]));
	// frappe-ui's toast: Helpdesk 1.25 has toast.create({message, type}) (the message is HTML, so
	// escaped here); older ones had createToast({title, icon}). A long message stays longer.
	const notify = (message, variant) => {
		const text = String(message == null ? "" : message);
		const type = variant === "error" ? "error" : variant === "info" ? "info" : "success";
		const duration = Math.min(20, Math.max(5, Math.ceil(text.length / 18)));
		if (toast && typeof toast.create === "function" && typeof toast.success === "function") {
			return toast.create({ message: esc(text), type, duration });
		}
		if (createToast) return createToast({ title: text, message: esc(text), type });
		if (type === "error") window.alert(text);
	};
	const errorText = (e) => {
		const m = e && (e.messages || (e.exc_type && [e.message]) || [e.message]);
		return (m && m.filter(Boolean).join(" ")) || String(e);
	};

	if (!doc || !doc.name) return { actions: [] };

	// Helpdesk calls setupForm again whenever the ticket changes: keep what the agent typed
	const state = (window.kmCrmPanel = window.kmCrmPanel || {});
	if (state.ticket !== doc.name) {
		state.query = "";
		state.reply = "";
		state.asking = null;
		state.inserted = []; // the lines the panel put into the reply (not searched as the agent's words)
		state.selection = null; // where the agent last left the cursor in the reply
	}
	state.ticket = doc.name;

	function addStyle() {
		if (document.getElementById(STYLE_ID)) return;
		const el = document.createElement("style");
		el.id = STYLE_ID;
		el.textContent = `
			#${PANEL_ID} { position: fixed; top: 0; right: 0; bottom: 0; width: ${WIDTH}px; max-width: 100vw; z-index: 20;
				overflow: auto; background: #fff; border-left: 1px solid #e2e2e2; padding: 12px 14px;
				font-size: 13px; line-height: 1.45; color: #1f272e; box-sizing: border-box; overflow-wrap: anywhere; }
			#${PANEL_ID} mark { background: #fcefc7; color: inherit; padding: 0 1px; border-radius: 2px; }
			#${PANEL_ID} .km-btn { font-size: 12px; padding: 2px 8px; border: 1px solid #d8d8d8; border-radius: 6px;
				background: #f7f7f7; margin: 0 4px 0 0; cursor: pointer; }
			#${PANEL_ID} .km-btn:hover { background: #eee; }
			#${PANEL_ID} .km-btn[disabled] { color: #a0a0a0; background: #fafafa; border-style: dashed; cursor: not-allowed; }
			#${PANEL_ID} .km-refusal { color: #9a4a00; font-size: 12px; margin-top: 4px; }
			#${PANEL_ID} .km-unlink { margin-left: auto; background: none; border: 0; color: #7c7c7c; font-size: 16px;
				line-height: 1; padding: 0 4px; cursor: pointer; }
			#${PANEL_ID} .km-unlink:hover { color: #1f272e; }
			#${PILL_ID} { position: fixed; right: 16px; bottom: 64px; z-index: 20; padding: 6px 14px; border-radius: 16px;
				border: 1px solid #d8d8d8; background: #fff; box-shadow: 0 4px 12px rgba(0,0,0,.12); font-size: 13px; }
			@media (min-width: 1024px) {
				body.${OPEN_CLASS} #app > .h-screen.w-screen { width: calc(100vw - ${WIDTH}px); }
			}
			@media (max-width: 1023px) {
				#${PANEL_ID} { box-shadow: -8px 0 24px rgba(0,0,0,.12); }
			}`;
		document.head.appendChild(el);
	}

	// The panel and its pill live in one container with role "dialog": Helpdesk leaves its reply
	// editor open while the agent clicks in a dialog (its onClickOutside ignores [role="dialog"]).
	function root() {
		let el = document.getElementById(ROOT_ID);
		if (!el) {
			addStyle();
			el = document.createElement("div");
			el.id = ROOT_ID;
			el.setAttribute("role", "dialog");
			el.setAttribute("aria-modal", "false");
			el.style.display = "contents";
			document.body.appendChild(el);
		}
		el.setAttribute("aria-label", t("Knowledge"));
		return el;
	}

	function panel() {
		let el = document.getElementById(PANEL_ID);
		if (!el) {
			el = document.createElement("div");
			el.id = PANEL_ID;
			el.style.display = "none";
			root().appendChild(el);
			el.addEventListener("click", (e) => state.onClick && state.onClick(e));
			el.addEventListener("input", (e) => {
				if (!e.target.matches("[data-km-query]")) return;
				clearTimeout(state.queryTimer);
				state.queryTimer = setTimeout(() => {
					state.query = e.target.value.trim();
					state.refresh && state.refresh();
				}, 400);
			});
		}
		return el;
	}

	// Collapsed, the panel is a pill at the bottom right that says how many articles it suggests;
	// open, it lists them.
	function pill() {
		let el = document.getElementById(PILL_ID);
		if (!el) {
			el = document.createElement("button");
			el.id = PILL_ID;
			el.style.display = "none";
			el.addEventListener("click", () => state.show && state.show(true));
			root().appendChild(el);
		}
		return el;
	}

	function show(open) {
		const el = panel();
		el.style.display = open ? "block" : "none";
		pill().style.display = open || !onTicketPage() ? "none" : "block";
		document.body.classList.toggle(OPEN_CLASS, Boolean(open) && onTicketPage());
		localStorage.setItem("km-crm-panel-open", open ? "1" : "0");
		keepReplyOpen();
		refresh();
	}

	function onTicketPage() {
		return location.pathname.includes(`/tickets/${state.ticket}`);
	}

	function onRoute() {
		// the panel belongs to a ticket page: hide it elsewhere
		if (onTicketPage()) return;
		for (const id of [PANEL_ID, PILL_ID]) {
			const el = document.getElementById(id);
			if (el) el.style.display = "none";
		}
		document.body.classList.remove(OPEN_CLASS);
	}

	function refresh() {
		if (!onTicketPage()) return;
		const token = (state.token = (state.token || 0) + 1);
		call(API + "suggest", {
			ticket_doctype: "HD Ticket",
			ticket: state.ticket,
			reply: state.reply || "",
			query: state.query || "",
			with_labels: 1,
		})
			.then((data) => token === state.token && render(data))
			.catch((e) => notify(errorText(e), "error"));
		if (state.expertsFor !== state.ticket) {
			// experts follow the saved ticket, not the typing: once per ticket
			state.expertsFor = state.ticket;
			state.experts = null;
			call("km_crm.api.experts.for_ticket", { ticket_doctype: "HD Ticket", ticket: state.ticket })
				.then((experts) => {
					state.experts = experts;
					if (state.data) render(state.data);
				})
				.catch((e) => notify(errorText(e), "error"));
		}
	}

	function render(data) {
		state.data = data;
		const L = data.labels || {};
		const count = (data.results || []).length;
		pill().textContent = count ? `${L.knowledge} · ${count}` : L.knowledge;
		const item = (inner) => `<div class="km-item" style="padding:8px 0;border-bottom:1px solid #f0f0f0">${inner}</div>`;
		const badge = (text, colour) =>
			`<span style="font-size:11px;padding:1px 8px;border-radius:9px;background:${colour};white-space:nowrap;flex-shrink:0">${esc(text)}</span>`;
		const button = (label, action, i, extra = "") =>
			`<button class="km-btn" data-km-action="${action}" data-index="${i}" ${extra}>${esc(label)}</button>`;
		// an article already linked to the ticket says so instead of offering the same link again
		const linkedAs = {};
		for (const l of data.links || []) (linkedAs[l.article] = linkedAs[l.article] || {})[l.link_type] = l;
		const done = (l) => badge(`✓ ${l.link_type_label || l.link_type}`, "#e4f5e9");
		const section = (title, rows, empty) =>
			!rows.length && !empty
				? ""
				: `<div style="margin-top:12px"><div style="font-weight:600;font-size:11px;text-transform:uppercase;color:#7c7c7c;letter-spacing:.03em">${esc(title)}</div>${
						rows.length ? rows.join("") : `<div style="color:#7c7c7c;padding:6px 0">${esc(empty)}</div>`
				  }</div>`;

		const results = (data.results || []).map((r, i) =>
			item(
				`<div style="display:flex;justify-content:space-between;align-items:flex-start;gap:8px"><a href="#" data-km-action="open" data-index="${i}" style="font-weight:600">${r.title_html}</a><span style="display:flex;gap:4px">${
					r.other_language ? badge(r.language_label, "#fdecd2") : ""
				}${badge(r.audience_label || r.audience, r.audience === "Internal" ? "#ececec" : "#e3efff")}</span></div>
				<div style="color:#525252;margin:4px 0">${r.snippet_html}</div>
				${
					r.file
						? `<div style="font-size:12px;margin:0 0 4px">${
								r.file.url
									? `<a href="${esc(r.file.url)}" target="_blank" rel="noopener" style="text-decoration:underline">${esc(t("Found in {0}", r.file.label))}</a>`
									: esc(t("Found in {0}", r.file.label))
						  }</div>`
						: ""
				}
				<div>${(linkedAs[r.article] || {}).Solved ? done(linkedAs[r.article].Solved) : button(L.solved, "solved", i)}${
					(linkedAs[r.article] || {}).Referenced ? done(linkedAs[r.article].Referenced) : button(L.referenced, "referenced", i)
				}${button(L.insert, "insert", i, r.insert_refused ? "disabled" : "")}</div>
				${r.insert_refused ? `<div class="km-refusal" data-km-refusal>${esc(t("Not for this customer: {0}", r.insert_refused))}</div>` : ""}`
			)
		);
		const links = (data.links || []).map((l) =>
			item(
				`<div style="display:flex;align-items:center;gap:8px"><a href="${esc(l.route)}" target="_blank" rel="noopener">${esc(
					l.article_title || l.article
				)}</a> ${badge(l.link_type_label || l.link_type, l.link_type === "Solved" ? "#e4f5e9" : "#ececec")}${
					l.link_type === "Created From"
						? ""
						: `<button class="km-unlink" data-km-action="unlink" data-link="${esc(l.name)}" title="${esc(
								t("Remove link")
						  )}" aria-label="${esc(t("Remove link"))}">×</button>`
				}</div>`
			)
		);
		const similar = (data.similar || []).map((tk) =>
			item(
				`<a href="${esc(tk.route)}" style="font-weight:600">${tk.title_html}</a> <span style="color:#7c7c7c">${esc(
					tk.ticket_type
				)} ${esc(tk.ticket)}</span>${tk.snippet_html ? `<div style="color:#525252;margin-top:4px">${tk.snippet_html}</div>` : ""}${
					tk.resolution_html ? `<div style="margin-top:4px"><b>${esc(L.resolution)}:</b> ${tk.resolution_html}</div>` : ""
				}`
			)
		);
		const experts = (state.experts || []).map((x, i) =>
			item(
				`<div style="display:flex;justify-content:space-between;gap:8px"><strong>${esc(x.full_name)}</strong><span style="color:#7c7c7c">${esc(
					x.open_tickets
				)} ${esc(L.open_count)}</span></div>
				<div style="color:#525252;margin:2px 0">${esc(x.reason)}</div>
				<div style="margin-bottom:4px">${[...x.tickets, ...x.articles]
					.map((t) => `<a href="${esc(t.route)}" target="_blank" rel="noopener">${esc(t.name)}</a>`)
					.join(", ")}</div>
				${
					x.assigned
						? badge(L.assigned, "#e4f5e9")
						: state.asking === i
						? `<textarea data-km-note rows="2" placeholder="${esc(L.ask_note)}" style="width:100%;padding:4px 6px;border:1px solid #d8d8d8;border-radius:6px"></textarea>
						${button(L.ask_send, "ask-send", i)}`
						: button(L.ask, "ask", i)
				}`
			)
		);
		const capture = data.can_capture ? captureBox(L) : "";
		panel().innerHTML = `
			<div style="display:flex;justify-content:space-between;align-items:center">
				<strong>${esc(L.knowledge)}</strong>
				<button data-km-action="close" aria-label="${esc(L.close)}" style="font-size:18px;line-height:1;background:none;border:0">×</button>
			</div>
			<input data-km-query type="search" value="${esc(state.query || "")}" placeholder="${esc(L.search)}"
				style="width:100%;margin-top:8px;padding:5px 8px;border:1px solid #d8d8d8;border-radius:6px">
			${section(L.linked, links)}
			${section(state.query ? L.results : L.suggested, results, state.query ? L.no_results : L.no_suggestions)}
			${section(L.similar, similar)}
			${state.experts ? section(L.experts, experts, L.no_experts) : ""}
			${capture}`;
	}

	function onClick(e) {
		const el = e.target.closest("[data-km-action]");
		if (!el) return;
		e.preventDefault();
		const action = el.dataset.kmAction;
		const r = ((state.data && state.data.results) || [])[Number(el.dataset.index)];
		if (action === "close") return show(false);
		if (action.startsWith("capture")) return onCapture(action, el);
		if (action === "ask") {
			state.asking = Number(el.dataset.index);
			return render(state.data);
		}
		if (action === "ask-send") return askExpert(state.experts[Number(el.dataset.index)]);
		if (action === "unlink") {
			return call(API + "unlink", { ticket_doctype: "HD Ticket", ticket: state.ticket, link_name: el.dataset.link })
				.then((links) => {
					notify(t("Link removed."));
					// a refresh asked before the removal may answer after it, with the link still in it:
					// it is discarded (its token is old), and the panel reads the ticket again
					state.token = (state.token || 0) + 1;
					state.data.links = links;
					render(state.data);
					refresh();
				})
				.catch((err) => notify(errorText(err), "error"));
		}
		if (!r) return;
		if (action === "open") {
			if (state.data.search_id)
				call("km_crm.api.search.log_click", { search_id: state.data.search_id, article: r.article, channel: "Ticket" });
			return window.open(r.route, "_blank", "noopener");
		}
		if (action === "solved" || action === "referenced") {
			return call(API + "link", {
				ticket_doctype: "HD Ticket",
				ticket: state.ticket,
				article: r.article,
				link_type: action === "solved" ? "Solved" : "Referenced",
			})
				.then(() => {
					notify(state.data.labels.linked_done);
					refresh();
				})
				.catch((err) => notify(errorText(err), "error"));
		}
		if (action === "insert") {
			if (r.insert_refused) return notify(r.insert_refused, "error");
			return call(API + "reply_text", { ticket_doctype: "HD Ticket", ticket: state.ticket, article: r.article })
				.then((m) => insertIntoReply(m.html))
				.catch((err) => notify(errorText(err), "error"));
		}
	}

	function askExpert(x) {
		const note = (panel().querySelector("[data-km-note]") || {}).value || "";
		call("km_crm.api.experts.ask", { ticket_doctype: "HD Ticket", ticket: state.ticket, user: x.user, note })
			.then(() => {
				notify(state.data.labels.asked);
				state.asking = null;
				state.expertsFor = null; // the expert is assigned now: read the list again
				refresh();
			})
			.catch((err) => notify(errorText(err), "error"));
	}

	// Helpdesk's reply editor: a TipTap editor in the communication area, shown and hidden by its
	// "Reply" button (v-show: it keeps its text while hidden). The reply's editor carries the class
	// that hides quoted replies; the comment editor does not.
	function replyEditorEl() {
		const area = document.querySelector(".comm-area");
		return area && (area.querySelector(".ProseMirror[class*='reply-to-content']") || area.querySelector(".ProseMirror"));
	}

	function replyEditor() {
		const el = replyEditorEl();
		const editor = el && el.editor;
		if (editor && !editor.kmCrmTracked) {
			editor.kmCrmTracked = true;
			// Helpdesk puts the cursor at the start whenever it opens the reply; put it back where
			// the agent left it (or after the last insert) unless the agent clicked into the text
			editor.on("focus", () =>
				setTimeout(() => {
					const saved = state.selection;
					if (Date.now() - (state.pointerInEditor || 0) < 600 || !saved || saved.doc !== editor.state.doc) return;
					if (editor.state.selection.from !== saved.from || editor.state.selection.to !== saved.to)
						editor.commands.setTextSelection({ from: saved.from, to: saved.to });
				}, 0)
			);
		}
		return editor && editor.commands ? editor : null;
	}

	function replyOpen() {
		const el = replyEditorEl();
		return Boolean(el && el.getClientRects().length);
	}

	function remember(editor) {
		const { from, to } = editor.state.selection;
		state.selection = { doc: editor.state.doc, from, to };
	}

	// Opens the reply with Helpdesk's own "Reply" button (the first button of the communication area)
	function openReply() {
		if (replyOpen()) return Promise.resolve(true);
		const area = document.querySelector(".comm-area");
		const reply = area && area.querySelector("button");
		if (!reply) return Promise.resolve(false);
		reply.click();
		return new Promise((resolve) => setTimeout(() => resolve(replyOpen()), 120));
	}

	// Clicking the header's "Knowledge" button is a click outside the reply, which Helpdesk answers
	// by closing the reply (before this click handler runs): open it again at once, so it does not
	// move, and give it back the focus.
	function keepReplyOpen() {
		if (!state.closingReply || Date.now() - (state.pointerAt || 0) > 1500) return;
		state.closingReply = false;
		const area = document.querySelector(".comm-area");
		const reply = area && area.querySelector("button");
		if (!reply) return;
		reply.click();
		const editor = replyEditor();
		if (editor) editor.commands.focus();
		setTimeout(() => replyOpen() || openReply(), 400); // in case it was not closed after all
	}

	// At the cursor when the agent left one in the reply, else at its end; the reply opens first
	// when it is closed, the cursor stays after the inserted answer, and the answer is scrolled into view.
	function insertIntoReply(html) {
		return openReply().then((opened) => {
			const editor = opened && replyEditor();
			if (!editor) return copyAnswer(html);
			const { doc } = editor.state;
			const saved = state.selection;
			const at =
				saved && saved.doc === doc
					? { from: saved.from, to: saved.to }
					: editor.isEmpty
					? { from: 0, to: doc.content.size }
					: doc.content.size;
			editor.commands.insertContentAt(at, html, { updateSelection: true });
			state.inserted = [...new Set([...(state.inserted || []), ...blockLines(parseHtml(html))])];
			remember(editor);
			editor.commands.focus();
			const el = replyEditorEl();
			setTimeout(() => {
				el.closest(".comm-area").scrollIntoView({ block: "nearest" });
				editor.commands.scrollIntoView();
			}, 300);
			notify(state.data.labels.inserted);
		});
	}

	function copyAnswer(html) {
		const text = parseHtml(html).innerText;
		navigator.clipboard
			.writeText(text)
			.then(() => notify(state.data.labels.copied))
			.catch(() => notify(state.data.labels.open_reply, "error"));
	}

	function parseHtml(html) {
		return new DOMParser().parseFromString(html || "", "text/html").body;
	}

	// The text of each paragraph, list item or heading, spaces collapsed
	function blockLines(rootEl) {
		const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, pre, blockquote, td, th";
		const leaves = [...rootEl.querySelectorAll(BLOCKS)].filter((b) => !b.querySelector(BLOCKS));
		const texts = leaves.length ? leaves.map((b) => b.textContent) : [rootEl.textContent];
		return texts.map((x) => x.replace(/\s+/g, " ").trim()).filter(Boolean);
	}

	// What the agent wrote: the reply without the lines the panel inserted from the knowledge base
	// (also when the agent typed on at the end of one of them)
	function agentsReply() {
		const el = replyEditorEl();
		if (!el) return "";
		const inserted = [...(state.inserted || [])].sort((x, y) => y.length - x.length);
		return blockLines(el)
			.map((line) => inserted.reduce((rest, ins) => rest.split(ins).join(" "), line).replace(/\s+/g, " ").trim())
			.filter(Boolean)
			.join("\n");
	}

	// Create Article, searching before it creates: live articles that look like the ticket come first
	// (link one as solved, or say the ticket is new); then what was removed from the draft's text.
	function captureBox(L) {
		const c = state.capture && state.capture.ticket === state.ticket ? state.capture : null;
		const btn = (label, action, i = "", primary = false) =>
			`<button data-km-action="${action}" data-index="${i}" style="font-size:12px;padding:3px 10px;margin:4px 4px 0 0;border-radius:6px;border:1px solid ${
				primary ? "#2490ef;background:#2490ef;color:#fff" : "#d8d8d8;background:#f7f7f7"
			}">${esc(label)}</button>`;
		const box = (inner) =>
			`<div data-km-capture style="margin-top:12px;padding:10px;border:1px solid #d8d8d8;border-radius:8px;background:#fafafa">${inner}</div>`;
		if (!c)
			return `<button data-km-action="capture" style="margin-top:10px;width:100%;padding:6px;border-radius:6px;border:1px solid #d8d8d8;background:#f7f7f7">${esc(
				L.create_article
			)}</button>`;
		const W = c.labels;
		if (c.step === "close") {
			const rows = c.articles.map(
				(a, i) => `<div style="padding:6px 0;border-bottom:1px solid #eee">
					<a href="${esc(a.route)}" target="_blank" rel="noopener" style="font-weight:600">${esc(a.title)}</a>
					<span style="font-size:11px;color:#7c7c7c"> ${esc(a.audience_label)}</span>
					<div style="color:#7c7c7c;font-size:12px">${esc(a.article)} · ${esc(a.reason)}</div>
					${
						a.linked
							? `<span style="font-size:11px;padding:1px 8px;border-radius:9px;background:#e4f5e9">${esc(a.linked_label)}</span>`
							: btn(W.link_solved, "capture-link", i, true)
					}
				</div>`
			);
			return box(
				`<div style="font-weight:600">${esc(W.look_like)}</div>${rows.join("")}<div style="margin-top:6px">${btn(
					W.create_new,
					"capture-new"
				)}${btn(W.cancel, "capture-cancel")}</div>`
			);
		}
		if (c.step === "confirm")
			return box(`<div>${esc(W.confirm)}</div>${btn(W.create, "capture-new", "", true)}${btn(W.cancel, "capture-cancel")}`);
		const seen = new Set();
		const removed = (c.removed || [])
			.filter((r) => !seen.has(r.label + r.original) && seen.add(r.label + r.original))
			.map((r) => `<tr><td style="padding:2px 6px 2px 0;color:#525252">${esc(r.label)}</td><td>${esc(r.original)}</td></tr>`)
			.join("");
		return box(
			`<div style="font-weight:600">${esc(c.existing ? W.existing : W.created)}</div>${
				removed
					? `<div style="margin-top:6px">${esc(W.removed)}</div><table style="font-size:12px;margin-top:4px">${removed}</table>`
					: c.existing
					? ""
					: `<div style="margin-top:6px">${esc(W.nothing_removed)}</div>`
			}<div style="margin-top:6px"><a href="/app/km-article/${encodeURIComponent(c.article)}" target="_blank" rel="noopener">${esc(
				W.open_article
			)}</a> · <a href="#" data-km-action="capture-cancel">${esc(L.close)}</a></div>`
		);
	}

	function onCapture(action, el) {
		const ticket = state.ticket;
		const show = (capture) => {
			state.capture = capture && { ...capture, ticket };
			render(state.data);
		};
		const create = (labels, confirmNew) =>
			call(API + "create_article", { ticket_doctype: "HD Ticket", ticket, confirm_new: confirmNew ? 1 : 0 })
				.then((m) => {
					show({ step: "done", labels, ...m });
					notify(m.existing ? labels.existing : labels.created);
					refresh();
				})
				.catch((err) => notify(errorText(err), "error"));
		if (action === "capture-cancel") return show(null);
		if (action === "capture-new") return create(state.capture.labels, true);
		if (action === "capture-link") {
			const a = state.capture.articles[Number(el.dataset.index)];
			const labels = state.capture.labels;
			return call(API + "link", { ticket_doctype: "HD Ticket", ticket, article: a.article, link_type: "Solved" })
				.then(() => {
					notify(labels.linked_done);
					show(null);
					refresh();
				})
				.catch((err) => notify(errorText(err), "error"));
		}
		return call(API + "capture_check", { ticket_doctype: "HD Ticket", ticket })
			.then((check) => {
				if (check.existing) return create(check.labels, false);
				show({ step: check.articles.length ? "close" : "confirm", labels: check.labels, articles: check.articles });
			})
			.catch((err) => notify(errorText(err), "error"));
	}

	// Suggestions follow the reply as the agent types it (read once a second; refreshed when it settles)
	function watch() {
		onRoute();
		replyEditor(); // follows the editor's focus from the start
		const text = agentsReply();
		if (text === state.typed) return;
		state.typed = text;
		clearTimeout(state.replyTimer);
		state.replyTimer = setTimeout(() => {
			state.reply = text;
			refresh();
		}, 800);
	}

	// Where the agent leaves the cursor in the reply (typing or clicking in it), and whether the reply
	// was open when a click began
	function track(e) {
		const el = replyEditorEl();
		if (!el || !el.contains(e.target)) return;
		const editor = replyEditor();
		if (editor) remember(editor);
	}
	function pointerDown(e) {
		const el = replyEditorEl();
		state.pointerAt = Date.now();
		state.replyWasOpen = replyOpen();
		// a click outside the reply and outside any dialog closes it (Helpdesk's onClickOutside)
		state.closingReply = state.replyWasOpen && !e.target.closest("[role='dialog'], .comm-area");
		if (el && el.contains(e.target)) state.pointerInEditor = Date.now();
	}
	if (!state.watching) {
		state.watching = true;
		window.addEventListener("popstate", onRoute);
		setInterval(() => state.watch && state.watch(), 1000);
		document.addEventListener("keyup", (e) => state.track && state.track(e), true);
		document.addEventListener("mouseup", (e) => state.track && state.track(e), true);
		window.addEventListener("pointerdown", (e) => state.pointerDown && state.pointerDown(e), true);
	}
	Object.assign(state, { watch, track, pointerDown, onClick, refresh, show });
	show(localStorage.getItem("km-crm-panel-open") === "1");

	return {
		actions: [
			{
				label: (window.translatedMessages || {})["Knowledge"] || "Knowledge",
				onClick: () => show(panel().style.display === "none"),
			},
		],
	};
}

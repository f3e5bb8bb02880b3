// km_crm knowledge panel for Helpdesk's agent ticket page, installed as an HD Form Script
// (km_crm/integrations/helpdesk/form_script.py). Helpdesk runs setupForm() when the ticket loads; it
// returns a "Knowledge" header action that opens a side panel of suggested articles (following the
// reply the agent types), links, insert into the reply, similar resolved tickets, the experts who
// solved tickets like it (ask one to help) and, on a solved ticket, "Create Article". All data comes
// from km_crm.api.tickets and km_crm.api.experts, which check permissions.
function setupForm({ doc, call, toast, createToast }) {
	const API = "km_crm.api.tickets.";
	const PANEL_ID = "km-crm-knowledge-panel";
	const PILL_ID = "km-crm-knowledge-pill";
	const notify = (message, variant) => {
		const show = createToast || (toast && toast.create);
		if (show) show({ title: message, icon: variant === "error" ? "x" : "check" });
	};
	const esc = (s) =>
		String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
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
	}
	state.ticket = doc.name;

	function panel() {
		let el = document.getElementById(PANEL_ID);
		if (!el) {
			el = document.createElement("div");
			el.id = PANEL_ID;
			el.style.cssText =
				"position:fixed;top:56px;right:12px;bottom:12px;width:380px;z-index:20;overflow:auto;" +
				"background:#fff;border:1px solid #e2e2e2;border-radius:10px;box-shadow:0 8px 24px rgba(0,0,0,.12);" +
				"padding:12px 14px;font-size:13px;line-height:1.45;color:#1f272e;display:none";
			document.body.appendChild(el);
			el.addEventListener("click", onClick);
			el.addEventListener("input", (e) => {
				if (!e.target.matches("[data-km-query]")) return;
				clearTimeout(state.queryTimer);
				state.queryTimer = setTimeout(() => {
					state.query = e.target.value.trim();
					refresh();
				}, 400);
			});
		}
		return el;
	}

	// Collapsed, the panel is a pill at the bottom right that says how many articles it suggests,
	// so the ticket's own sidebar stays in view; open, it lists them.
	function pill() {
		let el = document.getElementById(PILL_ID);
		if (!el) {
			el = document.createElement("button");
			el.id = PILL_ID;
			el.style.cssText =
				"position:fixed;right:16px;bottom:64px;z-index:20;padding:6px 14px;border-radius:16px;" +
				"border:1px solid #d8d8d8;background:#fff;box-shadow:0 4px 12px rgba(0,0,0,.12);font-size:13px;display:none";
			el.addEventListener("click", () => show(true));
			document.body.appendChild(el);
		}
		return el;
	}

	function show(open) {
		const el = panel();
		el.style.display = open ? "block" : "none";
		pill().style.display = open || !onTicketPage() ? "none" : "block";
		localStorage.setItem("km-crm-panel-open", open ? "1" : "0");
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
		const item = (inner) => `<div style="padding:8px 0;border-bottom:1px solid #f0f0f0">${inner}</div>`;
		const badge = (text, colour) =>
			`<span style="font-size:11px;padding:1px 8px;border-radius:9px;background:${colour};white-space:nowrap">${esc(text)}</span>`;
		const button = (label, action, i, extra = "") =>
			`<button data-km-action="${action}" data-index="${i}" ${extra} style="font-size:12px;padding:2px 8px;border:1px solid #d8d8d8;border-radius:6px;background:#f7f7f7;margin-right:4px">${esc(label)}</button>`;
		const section = (title, rows, empty) =>
			!rows.length && !empty
				? ""
				: `<div style="margin-top:12px"><div style="font-weight:600;font-size:11px;text-transform:uppercase;color:#7c7c7c;letter-spacing:.03em">${esc(title)}</div>${
						rows.length ? rows.join("") : `<div style="color:#7c7c7c;padding:6px 0">${esc(empty)}</div>`
				  }</div>`;

		const results = (data.results || []).map((r, i) =>
			item(
				`<div style="display:flex;justify-content:space-between;gap:8px"><a href="#" data-km-action="open" data-index="${i}" style="font-weight:600">${r.title_html}</a>${badge(
					r.audience_label || r.audience,
					r.audience === "Internal" ? "#ececec" : "#e3efff"
				)}</div>
				<div style="color:#525252;margin:4px 0">${r.snippet_html}</div>
				<div>${button(L.solved, "solved", i)}${button(L.referenced, "referenced", i)}${button(
					L.insert,
					"insert",
					i,
					r.insert_refused ? `title="${esc(r.insert_refused)}" aria-disabled="true" style="opacity:.55"` : ""
				)}</div>`
			)
		);
		const links = (data.links || []).map((l) =>
			item(
				`<a href="${esc(l.route)}" target="_blank" rel="noopener">${esc(l.article_title || l.article)}</a> ${badge(
					l.link_type_label || l.link_type,
					l.link_type === "Solved" ? "#e4f5e9" : "#ececec"
				)}`
			)
		);
		const similar = (data.similar || []).map((t) =>
			item(
				`<a href="${esc(t.route)}" style="font-weight:600">${t.title_html}</a> <span style="color:#7c7c7c">${esc(
					t.ticket_type
				)} ${esc(t.ticket)}</span>${t.snippet_html ? `<div style="color:#525252;margin-top:4px">${t.snippet_html}</div>` : ""}${
					t.resolution_html ? `<div style="margin-top:4px"><b>${esc(L.resolution)}:</b> ${t.resolution_html}</div>` : ""
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
		const capture = data.can_capture
			? `<button data-km-action="capture" style="margin-top:10px;width:100%;padding:6px;border-radius:6px;border:1px solid #d8d8d8;background:#f7f7f7">${esc(
					L.create_article
			  )}</button>`
			: "";
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
		if (action === "capture") return captureArticle();
		if (action === "ask") {
			state.asking = Number(el.dataset.index);
			return render(state.data);
		}
		if (action === "ask-send") return askExpert(state.experts[Number(el.dataset.index)]);
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

	// Helpdesk's reply editor is a TipTap editor: insert at the cursor when it is open, else copy.
	function insertIntoReply(html) {
		const editorEl = document.querySelector(".ProseMirror[contenteditable='true']");
		const editor = editorEl && editorEl.editor;
		if (editor && editor.commands) {
			editor.chain().focus().insertContent(html).run();
			return notify(state.data.labels.inserted);
		}
		const text = new DOMParser().parseFromString(html, "text/html").body.innerText;
		navigator.clipboard
			.writeText(text)
			.then(() => notify(state.data.labels.copied))
			.catch(() => notify(state.data.labels.open_reply, "error"));
	}

	function captureArticle() {
		call(API + "create_article", { ticket_doctype: "HD Ticket", ticket: state.ticket })
			.then((m) => {
				const removed = (m.removed || []).map((r) => r.label).join(", ");
				notify(removed ? `${state.data.labels.created} ${state.data.labels.removed} ${removed}` : state.data.labels.created);
				window.open(`/app/km-article/${encodeURIComponent(m.article)}`, "_blank", "noopener");
				refresh();
			})
			.catch((err) => notify(errorText(err), "error"));
	}

	// Suggestions follow the reply as the agent types it (read once a second; refreshed when it settles)
	function watch() {
		onRoute();
		const editor = document.querySelector(".ProseMirror[contenteditable='true']");
		const text = editor ? editor.innerText.trim() : "";
		if (text === state.typed) return;
		state.typed = text;
		clearTimeout(state.replyTimer);
		state.replyTimer = setTimeout(() => {
			state.reply = text;
			refresh();
		}, 800);
	}
	if (!state.watching) {
		state.watching = true;
		window.addEventListener("popstate", onRoute);
		setInterval(() => state.watch && state.watch(), 1000);
	}
	state.watch = watch;
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

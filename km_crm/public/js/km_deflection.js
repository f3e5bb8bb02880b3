// km_crm self-service suggestions for the ticket forms customers fill in: ERPNext's portal issue
// form (km_crm/integrations/erpnext/issue_webform.js) and Helpdesk's customer new-ticket page
// (km_crm/integrations/helpdesk/customer_suggestions.js). As the customer types the subject and
// description, it asks km_crm.api.deflection.suggest for articles they may read and lists them;
// each opens the article page in a new tab, where "this solved my problem" confirms a deflection.
// No framework: it runs inside Frappe's website pages and inside Helpdesk's Vue app alike.
(function () {
	if (window.kmDeflection) return;
	const API = "/api/method/km_crm.api.deflection.suggest";
	const BOX_ID = "km-deflection-suggestions";
	const MIN_CHARS = 3;
	const esc = (s) =>
		String(s == null ? "" : s).replace(
			/[&<>"']/g,
			(c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]
		);

	function csrfToken() {
		return window.csrf_token || (window.frappe && window.frappe.csrf_token) || "";
	}

	const attached = {};

	// Once per channel: a page that sets up again (Helpdesk's app re-runs its form scripts) only
	// hands over its new way of reading and placing.
	function attach(options) {
		if (attached[options.channel]) {
			Object.assign(attached[options.channel].options, options);
			attached[options.channel].refresh();
			return attached[options.channel];
		}
		const read = () => options.read();
		const place = (el) => options.place(el);
		const channel = options.channel;
		const state = { session: sessionStorage.getItem(`km-deflection:${channel}`) || null, last: "" };
		let labels = null;
		let timer = null;
		let seq = 0;

		function box() {
			let el = document.getElementById(BOX_ID);
			if (!el) {
				el = document.createElement("section");
				el.id = BOX_ID;
				el.setAttribute("aria-live", "polite");
				el.style.cssText =
					"display:none;margin:12px 0;padding:12px 14px;border:1px solid #d7e3f4;border-radius:8px;" +
					"background:#f5f9ff;font-size:14px;line-height:1.45;color:#1f272e";
				// no padding around a match: it would split Chinese words and widen English spaces
				const style = document.createElement("style");
				style.textContent = `#${BOX_ID} mark{padding:0;background:#fff3bf;color:inherit}`;
				document.head.appendChild(style);
			}
			if (!document.body.contains(el)) place(el);
			return el;
		}

		function render(results) {
			const el = box();
			if (!results.length) {
				el.style.display = "none";
				el.innerHTML = "";
				return;
			}
			// title_html and snippet_html come escaped from the server, with <mark> around the matches
			el.innerHTML =
				`<strong style="display:block;margin-bottom:6px">${esc(labels.heading)}</strong>` +
				`<ul style="list-style:none;margin:0;padding:0">` +
				results
					.map(
						(r) =>
							`<li style="padding:6px 0;border-top:1px solid #e3ebf6">` +
							`<a href="${esc(r.url)}" target="_blank" rel="noopener" data-km-article="${esc(r.article)}" ` +
							`style="font-weight:600">${r.title_html}</a>` +
							(r.heading ? ` <span style="color:#6b7280">· ${esc(r.heading)}</span>` : "") +
							(r.other_language ? ` <span style="color:#6b7280">· ${esc(r.language_label)}</span>` : "") +
							`<div style="color:#374151;margin-top:2px">${r.snippet_html}</div></li>`
					)
					.join("") +
				`</ul><small style="display:block;margin-top:6px;color:#6b7280">${esc(labels.hint)}</small>`;
			el.style.display = "block";
		}

		async function refresh() {
			const { subject, description } = read();
			const text = `${subject || ""}\n${description || ""}`.trim();
			if (text === state.last) return;
			state.last = text;
			if (text.length < MIN_CHARS) return render([]);
			const mine = ++seq;
			const body = new URLSearchParams({
				channel,
				subject: subject || "",
				description: description || "",
				with_labels: labels ? 0 : 1,
			});
			if (state.session) body.set("session", state.session);
			let answer;
			try {
				const response = await fetch(API, {
					method: "POST",
					credentials: "same-origin",
					headers: {
						Accept: "application/json",
						"Content-Type": "application/x-www-form-urlencoded",
						"X-Frappe-CSRF-Token": csrfToken(),
					},
					body,
				});
				if (!response.ok) return; // suggestions are a help, never in the customer's way
				answer = (await response.json()).message;
			} catch (e) {
				return;
			}
			if (mine !== seq || !answer) return;
			labels = labels || answer.labels;
			if (answer.session) {
				state.session = answer.session;
				sessionStorage.setItem(`km-deflection:${channel}`, answer.session);
			}
			render(answer.results || []);
		}

		const schedule = () => {
			clearTimeout(timer);
			timer = setTimeout(refresh, 500);
		};
		document.addEventListener("input", schedule, true);
		document.addEventListener("keyup", schedule, true); // rich-text editors do not always fire input
		schedule();
		// once the ticket is submitted the visit is over: no more suggestions, no new session
		const stop = () => {
			clearTimeout(timer);
			seq++;
			document.removeEventListener("input", schedule, true);
			document.removeEventListener("keyup", schedule, true);
			document.getElementById(BOX_ID)?.remove();
			delete attached[channel];
		};
		attached[channel] = { options, refresh: schedule, stop };
		return attached[channel];
	}

	window.kmDeflection = { attach };
})();

// km_crm suggestions for Helpdesk's customer new-ticket page (/helpdesk/my-tickets/new), installed
// as an HD Form Script on the new-ticket page (km_crm/integrations/helpdesk/form_script.py).
// Helpdesk runs setupForm() when the page loads its template; the widget is
// /assets/km_crm/js/km_deflection.js, which asks km_crm.api.deflection.suggest as the customer types.
function setupForm() {
	const onCustomerForm = () => location.pathname.includes("/my-tickets/new");
	if (!onCustomerForm()) return { actions: [] };
	const subjectInput = () => document.querySelector('input[maxlength="140"]');
	if (!document.getElementById("km-helpdesk-search-once")) {
		// Helpdesk's own "These articles may already cover..." box comes right after ours, with the
		// same articles (its search is answered by the knowledge base) but no "this solved my problem":
		// the customer sees one list, ours
		const style = document.createElement("style");
		style.id = "km-helpdesk-search-once";
		style.textContent = "#km-deflection-suggestions ~ .rounded.border.shadow{display:none !important}";
		document.head.appendChild(style);
	}
	const start = () =>
		window.kmDeflection.attach({
			channel: "Helpdesk Portal",
			read: () => {
				if (!onCustomerForm()) return { subject: "", description: "" };
				const editor = document.querySelector(".ProseMirror");
				return { subject: (subjectInput() || {}).value || "", description: editor ? editor.innerText : "" };
			},
			place: (box) => {
				const input = subjectInput();
				const block = input && input.closest(".flex.flex-col.gap-2");
				if (block) block.after(box);
			},
		});
	if (window.kmDeflection) {
		start();
	} else {
		const script = document.createElement("script");
		script.src = "/assets/km_crm/js/km_deflection.js";
		script.onload = start;
		document.head.appendChild(script);
	}
	return { actions: [] };
}

// Helpdesk's customer knowledge base (/helpdesk/kb-public...) is the knowledge base (/knowledge).
// The site redirects these addresses (Website Settings > Route Redirects), but Helpdesk's app moves
// between its pages without asking the server: a move there becomes a page load, which the redirect
// answers. Added to Helpdesk's pages by km_crm/integrations/helpdesk/knowledge_link.py.
(function () {
	const CUSTOMER_KB = /^\/kb-public(\/|$)/;
	let tries = 0;
	function guard() {
		const app = document.getElementById("app");
		const router = app && app.__vue_app__ && app.__vue_app__.config.globalProperties.$router;
		if (!router) {
			if (tries++ < 150) setTimeout(guard, 100); // the app mounts after its first requests
			return;
		}
		router.beforeEach((to) => {
			if (!CUSTOMER_KB.test(to.path)) return true;
			window.location.assign(router.resolve(to).href);
			return false;
		});
	}
	guard();
})();

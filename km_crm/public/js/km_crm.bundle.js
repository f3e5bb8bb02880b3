// The desk's knowledge scripts, loaded on every desk page (hooks.app_include_js). Doctype form
// scripts (hooks.doctype_js) and the portal's suggestion widget (km_deflection.js) load on their own.
import "./km_plain_text.js";
import "./km_ticket_panel.js";
import "./km_report_filters.js";
import "./km_org_panel.js"; // who knows them, knowledge for them: Customer, Lead, ...

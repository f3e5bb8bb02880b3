"""Contract tests every search backend passes (tantivy always, Elasticsearch with KM_CRM_ES_URL)."""

from __future__ import annotations

import pytest
from km_search_testutil import make_article, passages_of

from km_crm.search.backend import Filters
from km_crm.search.service import count_articles, index_articles, reconcile, search_articles

PUBLIC = ("Public",)
EVERYONE = ("Public", "Customer", "Partner", "Internal")


def ids(results):
	return [r.article_id for r in results]


def test_index_and_find_with_highlight(backend):
	index_articles(
		backend,
		[
			make_article(
				"KB-1", "Reset a forgotten password", "<p>Open the login page and click Forgot password.</p>"
			),
			make_article(
				"KB-2", "Configure the printer", "<p>Install the printer driver from the vendor site.</p>"
			),
		],
	)
	results = search_articles(backend, "forgot my passwords", audiences=PUBLIC)
	assert ids(results)[0] == "KB-1"
	assert "<mark>password</mark>" in results[0].snippet_html
	assert "<mark>" in results[0].title_html
	assert results[0].explain.final_score == pytest.approx(results[0].score)


def test_answer_that_opens_with_the_problem_ranks_first(backend):
	# Both answers use the same words equally often; one names the problem in its opening sentence.
	index_articles(
		backend,
		[
			make_article(
				"KB-LATE",
				"",
				"<p>Check the cable and the power supply first. A router "
				"that keeps dropping the wifi connection often has outdated firmware.</p>",
			),
			make_article(
				"KB-LEAD",
				"",
				"<p>A router that keeps dropping the wifi connection often has outdated "
				"firmware. Check the cable and the power supply first.</p>",
			),
		],
	)
	assert ids(search_articles(backend, "router dropping wifi connection", audiences=PUBLIC))[:2] == [
		"KB-LEAD",
		"KB-LATE",
	]


def test_misspelt_words_still_find_the_article(backend):
	index_articles(
		backend,
		[
			make_article(
				"KB-1", "Retrieve an archived message", "<p>Open All Mail and move it to the inbox.</p>"
			),
			make_article("KB-2", "Archive old invoices", "<p>Export invoices older than a year.</p>"),
		],
	)
	assert ids(search_articles(backend, "retreive archivd mesage", audiences=PUBLIC))[0] == "KB-1"
	assert count_articles(backend, "retreive mesage", audiences=PUBLIC) == 1


def test_a_misspelt_word_is_corrected_from_whichever_field_holds_its_neighbour(backend):
	index_articles(
		backend,
		[
			make_article("KB-BODY", "Office equipment", "<p>Reinstall the scanner driver after updates.</p>"),
			make_article("KB-HEAD", "Office network", "<h2>Firewall exceptions</h2><p>Ask IT.</p>"),
			make_article("KB-TITLE", "Shredder jams", "<p>Remove the paper slowly.</p>"),
		],
	)
	for query, expected in (("scaner", "KB-BODY"), ("firwall", "KB-HEAD"), ("shreder", "KB-TITLE")):
		assert ids(search_articles(backend, query, audiences=PUBLIC)) == [expected], query
	assert search_articles(backend, "zqxwvj", audiences=PUBLIC) == []  # nothing near: no answer, no error


def test_reindexing_replaces_all_passages_of_the_article(backend):
	long_body = "".join(
		f"<h2>Step {i}</h2><p>{'Obsolete flamingo instructions. ' * 30}</p>" for i in range(4)
	)
	index_articles(backend, [make_article("KB-1", "Old guide", long_body)])
	assert len(backend.search(_query("flamingo"))) >= 4
	index_articles(
		backend,
		[make_article("KB-1", "New guide", "<p>Use the pelican wizard.</p>", modified="2024-06-01 09:00:00")],
	)
	assert search_articles(backend, "flamingo", audiences=PUBLIC) == []
	hits = backend.search(_query("pelican"))
	assert [h.passage_id for h in hits] == ["KB-1#0"]
	assert backend.indexed_versions() == {"KB-1": "2024-06-01 09:00:00"}


def test_an_edited_article_shows_its_new_words_in_the_next_search(backend):
	index_articles(backend, [make_article("KB-1", "Printer setup", "<p>Install the printer driver.</p>")])
	first = search_articles(backend, "printer driver", audiences=PUBLIC)[0]
	assert first.title == "Printer setup" and "vendor" not in first.snippet_html
	index_articles(
		backend,
		[
			make_article(
				"KB-1",
				"Printer installation",
				"<p>Install the printer driver from the vendor site.</p>",
				modified="2024-06-01 09:00:00",
			)
		],
	)
	again = search_articles(backend, "printer driver", audiences=PUBLIC)[0]
	assert again.title == "Printer installation" and "vendor" in again.snippet_html


def _query(text, audiences=PUBLIC):
	from km_crm.search.service import build_query

	return build_query(text, audiences=audiences, limit=20)


def test_delete_removes_article_everywhere(backend):
	index_articles(
		backend,
		[
			make_article("KB-1", "Quokka care", "<p>Quokka food.</p>"),
			make_article("KB-2", "Wombat care", "<p>Wombat food.</p>"),
		],
	)
	backend.delete(["KB-1"])
	assert search_articles(backend, "quokka", audiences=PUBLIC) == []
	assert ids(search_articles(backend, "food", audiences=PUBLIC)) == ["KB-2"]
	assert set(backend.indexed_versions()) == {"KB-2"}
	backend.clear()
	assert backend.indexed_versions() == {}
	assert count_articles(backend, "wombat", audiences=PUBLIC) == 0


def test_chinese_two_character_word_matches_as_a_word(backend):
	index_articles(
		backend,
		[
			make_article(
				"ZH-1", "全文检索配置", "<p>在设置中开启全文检索功能，然后重建索引。</p>", language="zh"
			),
			make_article("ZH-2", "检查索赔单据", "<p>先检查发票，再提交索赔。</p>", language="zh"),
			make_article("EN-1", "Printer setup", "<p>Nothing about search here.</p>"),
		],
	)
	results = search_articles(backend, "检索", audiences=PUBLIC)
	assert ids(results)[0] == "ZH-1"  # the word 检索, not the same characters apart (检查 ... 索赔)
	assert "<mark>检索</mark>" in results[0].snippet_html
	assert "EN-1" not in ids(results)


def test_traditional_chinese_query_finds_simplified_article_and_highlights_it(backend):
	index_articles(
		backend,
		[
			make_article("KB-ZH", "忘记密码怎么办", "<p>在登录页面点击忘记密码。</p>"),
			make_article("KB-OTHER", "打印机脱机", "<p>重启打印服务。</p>"),
		],
	)
	results = search_articles(backend, "忘記密碼", audiences=PUBLIC)
	assert ids(results) == ["KB-ZH"]
	assert "<mark>忘记密码</mark>" in results[0].title_html


def test_mixed_chinese_english_query(backend):
	index_articles(
		backend,
		[
			make_article(
				"M-1",
				"Outlook 邮件无法同步",
				"<p>重新添加 Exchange 账户后 Outlook 邮件即可同步。</p>",
				language="zh",
			),
			make_article("M-2", "Outlook signature", "<p>Create a signature in Outlook options.</p>"),
			make_article("M-3", "邮件归档", "<p>设置邮件自动归档。</p>", language="zh"),
		],
	)
	results = search_articles(backend, "Outlook邮件 同步 problem", audiences=PUBLIC)
	assert ids(results)[0] == "M-1"
	assert set(ids(results)) == {"M-1", "M-2", "M-3"}


def test_public_query_never_sees_internal_articles(backend):
	index_articles(
		backend,
		[
			make_article("PUB-1", "VPN setup for customers", "<p>Download the VPN client.</p>"),
			make_article(
				"INT-1",
				"VPN zanzibar master key",
				"<p>The VPN zanzibar key is stored in vault.</p>",
				audience="Internal",
			),
		],
	)
	public = search_articles(backend, "vpn zanzibar key", audiences=PUBLIC)
	assert ids(public) == ["PUB-1"]
	shown = " ".join(r.title + r.title_html + r.snippet_html for r in public)
	assert "zanzibar" not in shown.lower()
	assert count_articles(backend, "zanzibar", audiences=PUBLIC) == 0
	assert count_articles(backend, "vpn", audiences=PUBLIC) == 1
	assert search_articles(backend, "zanzibar", audiences=PUBLIC) == []
	# an agent with the Internal audience sees both
	assert count_articles(backend, "vpn", audiences=EVERYONE) == 2
	assert ids(search_articles(backend, "zanzibar", audiences=EVERYONE)) == ["INT-1"]


def test_role_and_status_restrictions_are_enforced_in_the_engine(backend):
	index_articles(
		backend,
		[
			make_article("R-1", "Payroll export", "<p>Export payroll to the bank.</p>", roles=["HR Manager"]),
			make_article("R-2", "Payroll calendar", "<p>Payroll runs monthly.</p>"),
			make_article("D-1", "Payroll draft notes", "<p>Payroll draft.</p>", status="Draft"),
		],
	)
	assert ids(search_articles(backend, "payroll", audiences=PUBLIC, roles=["Employee"])) == ["R-2"]
	assert count_articles(backend, "payroll", audiences=PUBLIC, roles=["Employee"]) == 1
	assert set(ids(search_articles(backend, "payroll", audiences=PUBLIC, roles=["HR Manager"]))) == {
		"R-1",
		"R-2",
	}
	assert "D-1" in ids(search_articles(backend, "payroll", audiences=PUBLIC, statuses=["Draft"]))
	assert search_articles(backend, "payroll", audiences=[]) == []
	# the same filters as one value
	hr = Filters.of(audiences=PUBLIC, roles=["HR Manager"])
	assert set(ids(search_articles(backend, "payroll", hr))) == {"R-1", "R-2"}
	assert count_articles(backend, "payroll", hr) == 2
	with pytest.raises(TypeError):
		search_articles(backend, "payroll", hr, roles=["Employee"])  # one or the other, never both


def test_category_and_item_filters(backend):
	index_articles(
		backend,
		[
			make_article(
				"C-1",
				"Battery replacement",
				"<p>Replace the battery.</p>",
				category_path=["Hardware", "Laptops"],
				items=["LAP-100"],
			),
			make_article(
				"C-2",
				"Battery recycling",
				"<p>Recycle the battery.</p>",
				category_path=["Hardware", "Phones"],
			),
		],
	)
	assert ids(search_articles(backend, "battery", audiences=PUBLIC, category=["Hardware", "Laptops"])) == [
		"C-1"
	]
	assert set(ids(search_articles(backend, "battery", audiences=PUBLIC, category=["Hardware"]))) == {
		"C-1",
		"C-2",
	}
	assert ids(search_articles(backend, "battery", audiences=PUBLIC, items=["LAP-100"])) == ["C-1"]


HOSTILE = [
	'"unbalanced quote',
	"printer*",
	"-printer",
	"title:printer",
	"printer AND OR NOT driver",
	"(printer",
	"printer))",
	"((()))",
	"***",
	":::",
	'"',
	"-",
	"AND",
	"OR",
	"",
	"   ",
	"!!!???。，、",
	"printer " * 2000,
	"x" * 10_000,
	"打印机" * 3000,
	"\x00\x01 printer \ufeff",
	"field:[a TO z] ~2 ^3 /re.*/",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_query_syntax_never_raises(backend, text):
	index_articles(backend, [make_article("P-1", "Printer driver", "<p>Install the printer driver.</p>")])
	results = search_articles(backend, text, audiences=PUBLIC)
	assert isinstance(results, list)
	assert isinstance(count_articles(backend, text, audiences=PUBLIC), int)
	if "printer" in text.lower():
		assert ids(results) == ["P-1"]  # operators are treated as text, the word is still found


class FailsMidBatch:
	"""A backend that writes the first article of a batch and then fails (engine crash, timeout)."""

	def __init__(self, inner):
		self.inner = inner

	def index(self, passages):
		passages = list(passages)
		first = passages[0].article_id
		self.inner.index([p for p in passages if p.article_id == first])
		raise ConnectionError("search engine went away mid-batch")


def test_failed_batch_shows_up_in_indexed_versions_and_reconcile_repairs_it(backend):
	old = [make_article(f"A-{i}", f"Heron manual {i}", "<p>Heron old text.</p>") for i in range(3)]
	index_articles(backend, old)
	new = [
		dict(a, resolution="<p>Heron revised text with egret.</p>", modified="2024-07-01 08:00:00")
		for a in old
	]
	new.append(
		make_article("A-3", "Heron manual 3", "<p>Brand new egret text.</p>", modified="2024-07-01 08:00:00")
	)
	source = {a["name"]: a["modified"] for a in new}

	with pytest.raises(ConnectionError):
		index_articles(FailsMidBatch(backend), new)
	versions = backend.indexed_versions()
	behind = {a for a, m in source.items() if versions.get(a) != m}
	assert behind == {"A-1", "A-2", "A-3"}  # stale or missing, so the reconcile pass picks them up

	plan = reconcile(backend, source, {a["name"]: a for a in new}.get)
	assert plan.to_index == ["A-1", "A-2", "A-3"]
	assert backend.indexed_versions() == source
	assert set(ids(search_articles(backend, "egret", audiences=PUBLIC))) == set(source)
	assert search_articles(backend, "old", audiences=PUBLIC) == []


def test_reconcile_deletes_articles_gone_from_the_source(backend):
	index_articles(
		backend,
		[
			make_article("G-1", "Gone article", "<p>Ibis.</p>"),
			make_article("G-2", "Kept article", "<p>Ibis.</p>"),
		],
	)
	plan = reconcile(backend, {"G-2": "2024-05-01 10:00:00"}, lambda name: None)
	assert plan.to_delete == ["G-1"] and plan.to_index == []
	assert ids(search_articles(backend, "ibis", audiences=PUBLIC)) == ["G-2"]


def test_rebuild_swaps_in_a_complete_new_index(backend):
	index_articles(backend, [make_article("OLD-1", "Stale topic", "<p>Osprey.</p>")])
	written = backend.rebuild(
		passages_of(
			make_article("NEW-1", "Fresh topic", "<p>Osprey nest.</p>"),
			make_article("NEW-2", "Other", "<p>Kestrel.</p>"),
		)
	)
	assert written == 2
	assert ids(search_articles(backend, "osprey", audiences=PUBLIC)) == ["NEW-1"]
	assert set(backend.indexed_versions()) == {"NEW-1", "NEW-2"}


def test_synonyms_expand_queries(backend):
	index_articles(
		backend,
		[
			make_article("S-1", "Notebook battery life", "<p>Dim the screen.</p>"),
			make_article("S-2", "医疗报销流程", "<p>提交发票。</p>", language="zh"),
		],
	)
	assert search_articles(backend, "laptop", audiences=PUBLIC) == []
	assert ids(search_articles(backend, "laptop", audiences=PUBLIC, synonyms=[["laptop", "notebook"]])) == [
		"S-1"
	]
	assert ids(search_articles(backend, "理赔", audiences=PUBLIC, synonyms={"理赔": ["报销"]}))[0] == "S-2"


def test_access_scopes_filter_inside_the_engine(backend):
	# Tickets carry their own read permission: a user may read Issues of company A, or HD Tickets of team T.
	index_articles(
		backend,
		[
			make_article(
				"Issue/1",
				"Printer jams on tray 2",
				"<p>Clean the roller.</p>",
				scope=["doctype=Issue", "company=A"],
			),
			make_article(
				"Issue/2",
				"Printer jams on tray 1",
				"<p>Clean the roller.</p>",
				scope=["doctype=Issue", "company=B"],
			),
			make_article(
				"HD Ticket/3",
				"Printer jams again",
				"<p>Clean the roller.</p>",
				scope=["doctype=HD Ticket", "team=T"],
			),
			make_article(
				"HD Ticket/4",
				"Printer jams daily",
				"<p>Clean the roller.</p>",
				scope=["doctype=HD Ticket", "team=U"],
			),
		],
	)
	scopes = ({"doctype": ("Issue",), "company": ("A",)}, {"doctype": ("HD Ticket",), "team": ("T", "V")})
	found = search_articles(backend, "printer jams roller", audiences=PUBLIC, scopes=scopes)
	assert sorted(ids(found)) == ["HD Ticket/3", "Issue/1"]
	assert count_articles(backend, "printer jams", audiences=PUBLIC, scopes=scopes) == 2
	assert search_articles(backend, "printer jams", audiences=PUBLIC, scopes=()) == []
	assert len(search_articles(backend, "printer jams", audiences=PUBLIC)) == 4
	# tickets are named "Doctype/name" (tickets.ticket_types.ticket_ref): such ids are deleted by id too
	backend.delete(["HD Ticket/3"])
	assert ids(search_articles(backend, "printer jams roller", audiences=PUBLIC, scopes=scopes)) == [
		"Issue/1"
	]


def test_equal_scores_rank_alike_on_two_builds(backend):
	# more twins than the 50 passages the engine is asked for: the tie crosses the engine's cut
	twins = [
		make_article(f"T-{i:02d}", "Toner cartridge", "<p>Replace the toner cartridge.</p>")
		for i in range(60)
	]
	backend.rebuild(passages_of(*twins))
	first = ids(search_articles(backend, "toner cartridge", audiences=PUBLIC, limit=5))
	backend.rebuild(passages_of(*reversed(twins)))
	second = ids(search_articles(backend, "toner cartridge", audiences=PUBLIC, limit=5))
	assert len(first) == 5 and first == second


def test_a_guest_never_sees_an_internal_article_added_after_the_first_search(backend):
	index_articles(backend, [make_article("PUB-1", "Modem lights", "<p>The modem lights blink.</p>")])
	assert ids(search_articles(backend, "modem", audiences=PUBLIC)) == ["PUB-1"]
	index_articles(
		backend,
		[make_article("INT-1", "Modem admin password", "<p>Modem admin password.</p>", audience="Internal")],
	)
	assert ids(search_articles(backend, "modem password", audiences=PUBLIC)) == ["PUB-1"]
	assert count_articles(backend, "modem", audiences=PUBLIC) == 1
	assert ids(search_articles(backend, "modem password", audiences=EVERYONE))[0] == "INT-1"


def test_rebuild_reads_the_passages_on_the_calling_thread(backend):
	# the site's articles come from its database, which only the calling thread may use
	import threading

	caller = threading.get_ident()
	seen = []

	def passages():
		for p in passages_of(make_article("T-1", "Thread bound", "<p>Kingfisher.</p>")):
			seen.append(threading.get_ident())
			yield p

	assert backend.rebuild(passages()) == 1
	assert seen == [caller]
	assert ids(search_articles(backend, "kingfisher", audiences=PUBLIC)) == ["T-1"]


# ---- the vector half: article vectors in the engine, and hybrid retrieval under its filters ------
# Synthetic unit vectors (no model): a vector made to have an exact cosine with the query decides
# which article is nearest, whatever words it holds.

DIM = 384


def _unit(vector):
	import numpy as np

	return (vector / np.linalg.norm(vector)).astype(np.float32)


def _random_unit(seed: int):
	import numpy as np

	return _unit(np.random.default_rng(seed).standard_normal(DIM))


def _at_cosine(query, cosine: float, seed: int):
	"""A unit vector whose cosine with the unit vector `query` is exactly `cosine`."""
	import numpy as np

	other = np.random.default_rng(seed).standard_normal(DIM)
	other -= (other @ query) * query
	other /= np.linalg.norm(other)
	return _unit(cosine * query + (1 - cosine**2) ** 0.5 * other)


def _retrieve(backend, text: str, vector, audiences=PUBLIC, **filters):
	"""hybrid.retrieve for a reader under these filters: the words of `text` (none: the vector half
	alone) and the query vector."""
	from km_crm.search import hybrid
	from km_crm.search.backend import SearchQuery
	from km_crm.search.service import build_query

	reader = Filters.of(audiences=audiences, **filters)
	terms = build_query(text, reader).terms if text else []
	return hybrid.retrieve(backend, SearchQuery(terms=terms, filters=reader, vector=vector))


def test_a_stored_vector_is_found_again_with_its_hash(backend):
	from km_crm.search.backend import tie_key

	store = backend.vectors()
	assert store.count() == 0 and store.versions() == {} and store.nearest(_random_unit(0), 5) == []
	vectors = {f"V-{i}": _random_unit(i) for i in range(4)}
	store.put({a: (f"hash-{a}", v) for a, v in vectors.items()})
	assert store.count() == 4
	assert store.versions() == {a: f"hash-{a}" for a in vectors}
	article, group, cosine = store.nearest(vectors["V-2"], 1)[0]
	assert (article, group) == ("V-2", tie_key("V-2")) and cosine == pytest.approx(1.0, abs=1e-3)
	# put again: the article's vector and hash are replaced, not added
	store.put({"V-2": ("hash-new", vectors["V-3"])})
	assert store.count() == 4 and store.versions()["V-2"] == "hash-new"
	assert {a for a, _g, _c in store.nearest(vectors["V-3"], 2)} == {"V-2", "V-3"}


def test_similarities_answer_for_the_tie_keys_asked_only(backend):
	from km_crm.search.backend import tie_key

	query = _random_unit(1)
	store = backend.vectors()
	store.put(
		{
			"S-1": ("h1", _at_cosine(query, 0.8, seed=2)),
			"S-2": ("h2", _at_cosine(query, -0.3, seed=3)),
			"S-3": ("h3", _at_cosine(query, 0.5, seed=4)),
		}
	)
	found = store.similarities(query, [tie_key("S-1"), tie_key("S-2"), tie_key("NO-VECTOR")])
	assert found.keys() == {tie_key("S-1"), tie_key("S-2")}
	assert found[tie_key("S-1")] == pytest.approx(0.8, abs=0.01)
	assert found[tie_key("S-2")] == pytest.approx(-0.3, abs=0.01)


def test_deleting_an_article_removes_its_passages_and_its_vector_and_rebuild_keeps_vectors(backend):
	backend.index(
		passages_of(
			make_article("KB-1", "Quokka care", "<p>Quokka food.</p>"),
			make_article("KB-2", "Wombat care", "<p>Wombat food.</p>"),
		)
	)
	one, two = _random_unit(5), _random_unit(6)
	backend.vectors().put({"KB-1": ("h1", one), "KB-2": ("h2", two)})
	backend.delete(["KB-1"])
	assert search_articles(backend, "quokka", audiences=PUBLIC) == []
	assert backend.vectors().versions() == {"KB-2": "h2"}
	assert [a for a, _g, _c in backend.vectors().nearest(one, 5)] == ["KB-2"]
	assert ids(_retrieve(backend, "", one)) == ["KB-2"]
	# a rebuild refills the passages; the vectors (keyed by the text they were made of) stay
	backend.rebuild(passages_of(make_article("KB-2", "Wombat care", "<p>Wombat food.</p>")))
	assert backend.vectors().versions() == {"KB-2": "h2"}
	backend.clear()
	assert backend.vectors().count() == 0 and backend.vectors().versions() == {}


def test_hybrid_finds_the_article_nearest_the_query_vector_without_any_of_its_words(backend):
	backend.index(
		passages_of(
			make_article("KB-PRINT", "Printer driver", "<p>Install the printer driver.</p>"),
			make_article(
				"KB-VPN", "Remote access", "<p>Connect through the tunnel client. Then sign in.</p>"
			),
			make_article("KB-FAR", "Holiday calendar", "<p>Offices close on public holidays.</p>"),
		)
	)
	query = _random_unit(7)
	backend.vectors().put(
		{
			"KB-VPN": ("h1", _at_cosine(query, 0.9, seed=8)),
			"KB-PRINT": ("h2", _at_cosine(query, 0.2, seed=9)),
			"KB-FAR": ("h3", _at_cosine(query, -0.5, seed=10)),
		}
	)
	hits = _retrieve(backend, "printer", query)
	by_article = {h.article_id: h for h in hits}
	assert hits[0].article_id == "KB-PRINT"  # the word half first, as the engine ranked it
	assert by_article["KB-PRINT"].semantic == pytest.approx(0.2, abs=0.01)
	vpn = by_article["KB-VPN"]  # no word of "printer": found by its vector, its opening passage
	assert vpn.score == 0 and vpn.semantic == pytest.approx(0.9, abs=0.01)
	assert vpn.passage_id == "KB-VPN#0" and vpn.title == "Remote access"
	assert "tunnel client" in vpn.text


def test_hybrid_never_returns_an_article_the_filters_refuse_even_the_nearest(backend):
	backend.index(
		passages_of(
			make_article("INT-1", "Vault master key", "<p>The key is in the vault.</p>", audience="Internal"),
			make_article("DRAFT-1", "Unfinished answer", "<p>Draft text.</p>", status="Draft"),
			make_article("HR-1", "Payroll export", "<p>Bank file.</p>", roles=["HR Manager"]),
			make_article("PUB-1", "Reset your password", "<p>Use the login page.</p>"),
		)
	)
	query = _random_unit(11)
	backend.vectors().put(
		{
			"INT-1": ("h", _at_cosine(query, 0.95, seed=12)),
			"DRAFT-1": ("h", _at_cosine(query, 0.9, seed=13)),
			"HR-1": ("h", _at_cosine(query, 0.85, seed=14)),
			"PUB-1": ("h", _at_cosine(query, 0.3, seed=15)),
		}
	)
	assert ids(_retrieve(backend, "", query, roles=["Employee"])) == ["PUB-1"]
	# with words that only the refused articles hold, the public reader still sees nothing of them
	assert ids(_retrieve(backend, "vault key draft payroll", query, roles=["Employee"])) == ["PUB-1"]
	# readers allowed to see them get them, nearest first
	assert ids(_retrieve(backend, "", query, audiences=EVERYONE, roles=["HR Manager"])) == [
		"INT-1",
		"HR-1",
		"PUB-1",
	]
	assert ids(_retrieve(backend, "", query, statuses=["Draft", "Published"])) == ["DRAFT-1", "PUB-1"]


def test_widening_finds_the_allowed_article_behind_many_refused_nearer_ones(backend, monkeypatch):
	from km_crm.search import hybrid

	monkeypatch.setattr(hybrid, "SEMANTIC_ARTICLES", 2)  # looks at 2, then 16, then everything
	query = _random_unit(16)
	internal = [
		make_article(f"INT-{i:02d}", f"Internal note {i}", "<p>Staff only.</p>", audience="Internal")
		for i in range(20)
	]
	backend.index(passages_of(*internal, make_article("PUB-1", "Customer answer", "<p>For everyone.</p>")))
	vectors = {
		a["name"]: ("h", _at_cosine(query, 0.9 - 0.01 * i, seed=100 + i)) for i, a in enumerate(internal)
	}
	vectors["PUB-1"] = ("h", _at_cosine(query, 0.1, seed=99))
	backend.vectors().put(vectors)
	hits = _retrieve(backend, "", query)
	assert ids(hits) == ["PUB-1"] and hits[0].semantic == pytest.approx(0.1, abs=0.01)
	assert len(_retrieve(backend, "", query, audiences=EVERYONE)) == 2  # SEMANTIC_ARTICLES of them


def test_both_engines_order_articles_by_cosine_and_equal_cosines_by_tie_key(backend):
	from km_crm.search.backend import tie_key

	query = _random_unit(20)
	cosines = [0.9, 0.75, 0.6, 0.6, 0.6, 0.45, 0.3, 0.15, 0.0, -0.15, -0.3, -0.45]
	names = [f"O-{i:02d}" for i in range(len(cosines))]
	shared = _at_cosine(query, 0.6, seed=21)  # three articles with the very same vector
	vectors = {
		name: ("h", shared if c == 0.6 else _at_cosine(query, c, seed=22 + i))
		for i, (name, c) in enumerate(zip(names, cosines, strict=True))
	}
	backend.index(passages_of(*(make_article(n, f"Article {n}", "<p>Body.</p>") for n in names)))
	backend.vectors().put(vectors)
	expected = sorted(names, key=lambda n: (-cosines[names.index(n)], tie_key(n)))
	found = backend.vectors().nearest(query, len(names))
	assert [a for a, _g, _c in found] == expected
	assert [c for _a, _g, c in found] == pytest.approx(sorted(cosines, reverse=True), abs=0.01)
	assert [a for a, _g, _c in backend.vectors().nearest(query, 4)] == expected[:4]
	assert ids(_retrieve(backend, "", query)) == expected


# --- passages of attached files -------------------------------------------------------------------


def _manual(name: str, audience: str = "Public", private: bool = False) -> dict:
	return make_article(
		name,
		"Scanner setup",
		"<p>Connect the scanner to the till.</p>",
		audience=audience,
		files=[
			{
				"file_name": "Manual.pdf",
				"content_hash": f"hash-{name}",
				"private": private,
				"parts": [
					{"page": 1, "text": "Contents\n\nSafety notes for the cradle."},
					{"page": 2, "text": "Charging the battery takes four hours."},
					{
						"page": 3,
						"text": "Factory reset: hold the trigger and the power key for ten seconds "
						"until the beeper sounds twice.",
					},
				],
			}
		],
	)


def test_a_phrase_on_page_three_of_an_attached_manual_finds_the_article_at_that_page(backend):
	index_articles(backend, [_manual("F-1"), make_article("F-2", "Printer reset", "<p>Hold feed.</p>")])
	results = search_articles(backend, "factory reset trigger beeper", audiences=PUBLIC)
	assert ids(results)[0] == "F-1"
	assert results[0].file == {
		"name": "Manual.pdf",
		"hash": "hash-F-1",
		"page": 3,
		"sheet": "",
		"rows": [0, 0],
	}
	assert "<mark>beeper</mark>" in results[0].snippet_html
	# the article's own text is found as before, with no file
	own = search_articles(backend, "connect scanner till", audiences=PUBLIC)
	assert ids(own)[0] == "F-1" and own[0].file is None


def test_file_passages_keep_the_audience_of_their_article_and_private_files_stay_from_guests(backend):
	index_articles(
		backend,
		[_manual("F-INT", audience="Internal"), _manual("F-PRIV", private=True), _manual("F-PUB")],
	)
	query = "factory reset trigger beeper"
	# a guest (roles: Guest) finds only the public file of the public article
	assert ids(search_articles(backend, query, audiences=PUBLIC, roles=["Guest"])) == ["F-PUB"]
	# a signed-in customer (Frappe gives every signed-in user "All") finds the private file's page too
	signed_in = ids(search_articles(backend, query, audiences=("Public", "Customer"), roles=["All"]))
	assert set(signed_in) == {"F-PUB", "F-PRIV"}
	assert set(ids(search_articles(backend, query, audiences=EVERYONE, roles=["All"]))) == {
		"F-PUB",
		"F-PRIV",
		"F-INT",
	}
	assert count_articles(backend, query, audiences=PUBLIC, roles=["Guest"]) == 1


def test_reindexing_an_article_without_its_file_drops_the_file_passages(backend):
	index_articles(backend, [_manual("F-3")])
	assert ids(search_articles(backend, "beeper", audiences=PUBLIC)) == ["F-3"]
	index_articles(backend, [make_article("F-3", "Scanner setup", "<p>Connect the scanner to the till.</p>")])
	assert search_articles(backend, "beeper", audiences=PUBLIC) == []


def test_across_languages_an_answer_near_every_question_loses_its_lead_to_the_right_one(backend):
	"""An English question among Chinese answers: the one nearest the mean of the site's English
	questions (near every English question) is read less near than the one that answers."""
	import numpy as np

	basis = np.linalg.qr(np.random.default_rng(41).standard_normal((DIM, 4)))[0].T
	question, mean_direction, own_a, own_b = basis
	hub = _unit(0.80 * question + 0.30 * mean_direction + 0.52 * own_a)
	right = _unit(0.78 * question + 0.05 * mean_direction + 0.62 * own_b)
	backend.index(
		passages_of(
			make_article("ZH-HUB", "保险常见问题", "<p>关于保险的一般说明。</p>", language="zh"),
			make_article("ZH-RIGHT", "人寿保险退保", "<p>退保前请先联系保险公司。</p>", language="zh"),
		)
	)
	backend.vectors().put({"ZH-HUB": ("h1", hub), "ZH-RIGHT": ("h2", right)})
	from km_crm.search import hybrid
	from km_crm.search.backend import SearchQuery

	query = SearchQuery(terms=[], filters=Filters.of(audiences=PUBLIC), vector=_unit(question))
	plain = {h.article_id: h.semantic for h in hybrid.retrieve(backend, query)}
	assert plain["ZH-HUB"] > plain["ZH-RIGHT"]  # the model alone puts the hub first
	from km_crm.search.question_means import LanguageMean

	mean = LanguageMean(0.9 * mean_direction, 40)
	corrected = {h.article_id: h.semantic for h in hybrid.retrieve(backend, query, "en", mean)}
	assert corrected["ZH-RIGHT"] > corrected["ZH-HUB"]
	# the level stays: the two move apart around where they were
	assert sum(corrected.values()) == pytest.approx(sum(plain.values()), abs=0.02)
	# a Chinese question (the answers' own language) is read as the model reads it
	same = {h.article_id: h.semantic for h in hybrid.retrieve(backend, query, "zh", mean)}
	assert same == pytest.approx(plain, abs=1e-6)


def _put_page_vectors(backend, name: str, article: dict, query, cosines: dict[int, float], seed: int):
	"""Each page's own vector in the engine's part vectors, at the given cosine with `query`."""
	from km_crm.search.backend import part_vector_key
	from km_crm.search.documents import file_location, part_key

	file = article["files"][0]
	entries = {}
	for part in file["parts"]:
		key = part_key(file_location(file, part))
		vector = _at_cosine(query, cosines.get(part["page"], -0.2), seed=seed + part["page"])
		entries[part_vector_key(name, key)] = (f"h-{key}", vector)
	backend.part_vectors().put(entries)


def test_a_page_near_the_question_in_meaning_finds_its_article_and_is_what_is_shown(backend):
	"""No word of the question on the page, the article's own vector far away: the page's own vector
	finds it, and the page is the passage shown; refused readers never get it."""
	manuals = {
		"P-PUB": _manual("P-PUB"),
		"P-PRIV": _manual("P-PRIV", private=True),
		"P-INT": _manual("P-INT", audience="Internal"),
	}
	index_articles(backend, [*manuals.values(), make_article("P-OFF", "Holiday calendar", "<p>Closed.</p>")])
	query = _random_unit(51)
	backend.vectors().put(
		{
			name: (f"h-{name}", _at_cosine(query, 0.1, seed=52 + i))
			for i, name in enumerate([*manuals, "P-OFF"])
		}
	)
	for i, (name, article) in enumerate(manuals.items()):
		_put_page_vectors(backend, name, article, query, {3: 0.92}, seed=60 + 10 * i)

	hits = _retrieve(backend, "", query, roles=["Guest"])
	by_article = {h.article_id: h for h in hits}
	assert set(by_article) >= {"P-PUB"}
	page = by_article["P-PUB"]
	assert page.file["page"] == 3 and "Factory reset" in page.text
	assert page.semantic == pytest.approx(0.92, abs=0.01)  # the article as near as its nearest page
	assert "P-PRIV" not in by_article or by_article["P-PRIV"].file is None  # a guest: not its private page
	assert "P-INT" not in by_article
	# signed in, a customer gets the private file's page too, never the internal article's
	signed_in = {h.article_id: h for h in _retrieve(backend, "", query, roles=["All"])}
	assert signed_in["P-PRIV"].file["page"] == 3 and "P-INT" not in signed_in
	# through ranking: the article leads, shown by that page
	from km_crm.search.ranking import rank_articles

	ranked = rank_articles(hits, [])
	assert ranked[0].article_id == "P-PUB" and ranked[0].file["page"] == 3


def test_an_article_its_words_found_keeps_its_own_cosine_and_a_removed_one_is_not_found_by_its_pages(
	backend,
):
	"""Pages lift only articles the words did not find (measured: lifting word-found containers by their
	nearest page shows the wrong page more often, benchmarks/documents.py --semantic)."""
	manual = _manual("W-1")
	index_articles(backend, [manual, make_article("W-2", "Scanner cradle", "<p>Scanner in the cradle.</p>")])
	query = _random_unit(71)
	backend.vectors().put(
		{"W-1": ("h1", _at_cosine(query, 0.3, seed=72)), "W-2": ("h2", _at_cosine(query, 0.5, seed=73))}
	)
	_put_page_vectors(backend, "W-1", manual, query, {2: 0.88}, seed=80)
	by_article = {h.article_id: h for h in _retrieve(backend, "scanner", query)}
	assert by_article["W-1"].score > 0 and by_article["W-1"].semantic == pytest.approx(0.3, abs=0.01)
	# without words the same article is found by its page, at the page's cosine
	alone = {h.article_id: h for h in _retrieve(backend, "", query)}
	assert alone["W-1"].semantic == pytest.approx(0.88, abs=0.01) and alone["W-1"].file["page"] == 2
	# a page vector of an article no longer indexed finds nothing
	backend.delete(["W-1"])
	assert "W-1" not in {h.article_id for h in _retrieve(backend, "", query)}

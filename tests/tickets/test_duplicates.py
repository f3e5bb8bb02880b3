from km_crm.tickets.duplicates import CLOSE_COSINE, MAX_CLOSE, MIN_SCORE, close_matches, number


def test_a_dominant_match_is_close_and_says_how_far_it_leads():
	close = close_matches([("KB-10", 35.0), ("KB-1", 7.0), ("KB-5", 3.0)])
	assert [c.article for c in close] == ["KB-10"]
	assert close[0].lead == 5.0


def test_matches_near_the_best_are_close_too():
	close = close_matches([("KB-1", 38.3), ("KB-3", 23.7), ("KB-10", 8.2)])
	assert [c.article for c in close] == ["KB-1", "KB-3"]


def test_weak_matches_are_not_close():
	assert close_matches([("KB-17", MIN_SCORE - 0.1), ("KB-14", 4.6)]) == []
	assert close_matches([]) == []


def test_the_only_match_has_no_lead():
	(close,) = close_matches([("KB-1", 13.7)])
	assert close.lead is None


def test_at_most_a_few_are_shown_best_first():
	close = close_matches([(f"KB-{i}", 20.0 - i) for i in range(8)][::-1])
	assert [c.article for c in close] == ["KB-0", "KB-1", "KB-2"][:MAX_CLOSE]


def test_numbers_read_naturally():
	assert number(91.878) == "92"
	assert number(8.31) == "8.3"
	assert number(5.0) == "5"


def test_an_article_near_in_meaning_is_close_whatever_its_words():
	# a Chinese ticket, the English article: no word in common, the meaning near
	(close,) = close_matches([("KB-7", 0.0, CLOSE_COSINE + 0.02), ("KB-9", 0.0, CLOSE_COSINE - 0.05)])
	assert close.article == "KB-7" and close.meaning == CLOSE_COSINE + 0.02 and close.lead is None
	# beside the word matches, after them, and never twice
	close = close_matches([("KB-1", 30.0, 0.95), ("KB-7", 1.0, 0.93), ("KB-5", 2.0, 0.7)])
	assert [(c.article, c.meaning) for c in close] == [("KB-1", None), ("KB-7", 0.93)]

"""Small hand-written articles for the search tests (no evaluation data)."""

from __future__ import annotations

from km_crm.search.documents import article_to_passages


def make_article(name: str, title: str = "", resolution: str | None = None, **extra) -> dict:
	article = {
		"name": name,
		"title": title,
		"summary": None,
		"issue": None,
		"environment": None,
		"resolution": resolution,
		"cause": None,
		"language": None,
		"audience": "Public",
		"status": "Published",
		"category_path": [],
		"items": [],
		"tags": [],
		"roles": [],
		"modified": "2024-05-01 10:00:00",
	}
	article.update(extra)
	return article


def passages_of(*articles: dict) -> list:
	return [p for a in articles for p in article_to_passages(a)]

"""The customer's question in a support ticket, without the noise of e-mail (pure: no Frappe).

* :func:`strip_noise` - one message (plain text or HTML) as clean text;
* :func:`article_text` - one message as the text of a knowledge article (rules 1-5, plus the
  writer's introduction and call-backs; identifiers stay for redaction);
* :func:`suggestion_query` - the text to search for articles that may answer a ticket, e.g.
  ``search_articles(backend, suggestion_query(subject, description, last_message), audiences=...)``.

What :func:`strip_noise` drops (English and Chinese mail conventions; rules in mail_noise.py):

1. HTML markup (``sanitize.html_to_text``); text beyond MAX_INPUT_CHARS (a reply's new text is on top).
2. Quoted mail: everything from the first reply header on ("On ... wrote:", "在 ... 写道：",
   "-----Original Message-----", "原始邮件", a "From:"/"发件人：" line followed by "Sent:"/"Subject:"/
   "发送时间："/"主题：" lines) and lines starting with ">"; a bare forward keeps the forwarded text.
3. Disclaimers: from a "Disclaimer:"/"Confidentiality notice:"/"免责声明：" line on, and sentences
   saying this message is confidential, not meant for the reader or to be deleted.
4. The signature: from a "--" line, or from the last sign-off or thanks ("Best regards", "Thanks,
   Anna", "此致", "谢谢！") followed only by short name/title/contact lines, or a trailing block of
   such lines holding a phone number, e-mail or web address; "Sent from my iPhone".
5. The greeting opening the message ("Hi team,", "Dear Ms Li,", "王经理您好！") and courtesy
   clauses anywhere ("Hope you are well.", "Thanks in advance!", "期待您的回复", "麻烦尽快处理"); the
   writer introducing themselves ("This is Maria from Globex (...)", "我是华东贸易的王芳") and
   call-backs ("Call Maria on +1 ...", "ring me back at ...", "请回电").
6. Identifiers: e-mail and web addresses, phone numbers, file names, dates and times, labelled
   references ("order no. 5521", "保单号：P2024001"), "#1234", codes such as "INV-0042", numbers of
   eight digits or more; a clause that only gave a reference ("My account ID is 88812345") goes.
   Amounts ("$500,000", "30000", "0.05%") stay.

How :func:`suggestion_query` chooses (English, Chinese or both):

7. Sentences come from the subject (without "Re:"/"Fwd:"/"回复："), the latest customer message,
   then the description; a space between Chinese characters ends a sentence too.
8. When the customer asks a question that stands on its own (a question naming at least
   MIN_QUESTION_WORDS words besides generic asks such as "fix this problem" or "怎么处理":
   "Does Medicare cover a CT scan?", not "What can I do?" or "请问怎么处理？"), the query
   is those questions (and the subject if it is one); otherwise every sentence.
9. A sentence contained in another is left out; sentences are added while the query stays within
   what search reads (MAX_QUERY_TERMS terms, MAX_QUERY_CHARS characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from km_crm.knowledge.article_shape import split_sentences
from km_crm.knowledge.sanitize import ALLOWED_TAGS, BLOCK_TAGS, DROP_CONTENT_TAGS, html_to_text
from km_crm.search.analysis import MAX_QUERY_CHARS, MAX_QUERY_TERMS, analyze_query, normalize
from km_crm.tickets.mail_noise import (
	CJK,
	article_sentence,
	clean_sentence,
	content_words,
	has_words,
	is_question,
	without_disclaimers,
	without_greeting,
	without_quotes,
	without_signature,
)

MAX_INPUT_CHARS = 20_000
QUERY_SOURCE_CHARS = 4 * MAX_QUERY_CHARS  # cleaned text of a message read for the query
MIN_QUESTION_WORDS = 2
# Words that ask for help without naming what about: "How do I fix this problem?", "请问怎么处理？"
_GENERIC_ASK_RE = re.compile(
	r"(?i:\b(?:fix|solve|resolve|handle|problem|issue)s?\b)|处理|解决|办|操作|问题|情况"
)

_HTML_TAGS = "|".join(sorted(ALLOWED_TAGS | BLOCK_TAGS | DROP_CONTENT_TAGS | {"html", "body", "font"}))
_HTML_RE = re.compile(rf"</?(?:{_HTML_TAGS})(?=[\s/>])[^<>]*>", re.IGNORECASE)
_SPACES_RE = re.compile(r"\s+")
_CJK_END_RE = re.compile(rf"[{CJK}。！？；，：”’」』）]$")
_CJK_SPACE_RE = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
_SUBJECT_PREFIX_RE = re.compile(r"^(?:\s*(?i:re|fw|fwd|aw|wg|sv|回复|答复|转发|回覆|轉寄)\s*[:：])+")


def strip_noise(text: str | None) -> str:
	"""Clean text of one message (plain text or HTML): one line per paragraph, noise removed.

	Quoted earlier mail, disclaimers, signature, greeting, courtesy and identifiers are dropped
	(see the module docstring); the customer's own words stay. ``None`` and empty give ``""``.
	"""
	out = []
	for line in _own_lines(text):
		paragraph = " ".join(s for s in map(clean_sentence, split_sentences(line)) if has_words(s))
		if paragraph:
			out.append(paragraph)
	return "\n".join(out)


def article_text(text: str | None, names: Iterable[str] = ()) -> str:
	"""One message (plain text or HTML) as the text of an article: paragraphs separated by a blank
	line, without quoted mail, disclaimers, the signature, the greeting, courtesy, the writer
	introducing themselves ("Hello, this is Maria from Globex (...)") and call-backs ("Call Maria on
	+1 ...", "ring me back", "请回电"). `names` (the customer's, the contact's) help tell an
	introduction or a call-back. Identifiers stay: redaction masks what remains personal."""
	names = tuple(names)
	out = []
	for line in _own_lines(text):
		paragraph = _join([article_sentence(s, names) for s in split_sentences(line)])
		if paragraph:
			out.append(paragraph)
	return "\n\n".join(out)


def _own_lines(text: str | None) -> list[str]:
	"""The message's lines without quoted mail, disclaimers, signature and greeting (rules 1-5)."""
	if not text:
		return []
	text = str(text)[:MAX_INPUT_CHARS]
	text = html_to_text(text) if _HTML_RE.search(text) else text.replace("\r\n", "\n").replace("\r", "\n")
	lines = [_SPACES_RE.sub(" ", x).strip() for x in text.split("\n")]
	lines = [x for x in lines if x]
	return without_greeting(without_signature(without_disclaimers(without_quotes(lines))))


def _join(sentences: list[str]) -> str:
	"""Sentences as one paragraph: a space after English, none after Chinese."""
	out = ""
	for sentence in filter(None, sentences):
		if out and not _CJK_END_RE.search(out):
			out += " "
		out += sentence
	return out


def _sentences(text: str | None) -> list[str]:
	"""Sentences of the cleaned text (its first QUERY_SOURCE_CHARS characters)."""
	sentences = split_sentences(strip_noise(text)[:QUERY_SOURCE_CHARS])
	return [part for s in sentences for part in _CJK_SPACE_RE.split(s) if part]


def _stands_alone(sentence: str) -> bool:
	"""A question that names what it is about ("Does Medicare cover a CT scan?", not "What can I do?",
	"How do I fix this problem?" or "请问怎么处理？")."""
	return is_question(sentence) and content_words(_GENERIC_ASK_RE.sub(" ", sentence)) >= MIN_QUESTION_WORDS


def _focus(subject: list[str], message: list[str]) -> list[str]:
	"""The questions that stand on their own when there are any, else every sentence."""
	if not any(_stands_alone(s) for s in message):
		return subject + message
	return [s for s in subject + message if _stands_alone(s)]


def _key(text: str) -> str:
	return re.sub(r"[\W_]+", "", normalize(text))


def _within_chars(query: str) -> str:
	"""One very long sentence cut to MAX_QUERY_CHARS, at a space when there is one."""
	if len(query) <= MAX_QUERY_CHARS:
		return query
	cut = query[:MAX_QUERY_CHARS]
	space = cut.rfind(" ")
	return cut[:space] if space > MAX_QUERY_CHARS // 2 else cut


def suggestion_query(
	subject: str | None, description: str | None = None, last_message: str | None = None
) -> str:
	"""Text to search for articles that may answer a ticket ("" when nothing is left to search).

	Built from the ticket's subject, its description (first message) and the latest customer
	message (either may be HTML), each cleaned with :func:`strip_noise`; see rules 7-9 of the
	module docstring.
	"""
	subject_sentences = _sentences(_SUBJECT_PREFIX_RE.sub("", subject or ""))
	message = [s for part in (last_message, description) for s in _sentences(part)]
	sentences = _focus(subject_sentences, message)
	keys = [_key(s) for s in sentences]
	chosen: list[str] = []
	for i, (sentence, key) in enumerate(zip(sentences, keys, strict=True)):
		if not key or key in keys[:i] or any(key in k and key != k for k in keys):
			continue
		candidate = " ".join([*chosen, sentence])
		if chosen and (len(candidate) > MAX_QUERY_CHARS or len(analyze_query(candidate)) > MAX_QUERY_TERMS):
			break
		chosen.append(sentence)
	return _within_chars(" ".join(chosen))

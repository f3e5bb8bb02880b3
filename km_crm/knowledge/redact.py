"""Personal data removed from ticket text before it becomes a knowledge article.

Pure Python, no ``import frappe``.

:func:`redact` replaces e-mail addresses, phone numbers, names, addresses, order and invoice numbers,
Chinese resident ID numbers, payment card numbers and admin-defined patterns with placeholders, and
lists every replacement so the agent can review what was removed. English and Chinese text, plain
or HTML: the default placeholders hold no markup, and a datum is found in HTML as long as no tag or
entity (``&nbsp;``) splits it.

Where personal data and technical content look alike, detection is conservative: versions, dates,
times, amounts, IP addresses, ports, percentages, error codes and item codes stay. A digit run is a
phone number only in a known phone shape, a card number only when Luhn-valid with a card network's
prefix and length, an ID number only with a valid checksum. Every built-in expression has bounded
repetitions and is anchored (by a look-behind, or for Chinese addresses by the road or estate
keyword) so it does not restart inside a run, and the time is linear in the size of the text.
Admin-defined patterns run as written: their speed is the admin's responsibility.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

EMAIL = "email"
PHONE = "phone"
NAME = "name"
ADDRESS = "address"
DOCUMENT_NUMBER = "document_number"
ID_NUMBER = "id_number"
PAYMENT_CARD = "payment_card"

#: Default placeholder of each built-in kind; a custom pattern's default is its label in brackets.
PLACEHOLDERS = {
	EMAIL: "[email]",
	PHONE: "[phone]",
	NAME: "[name]",
	ADDRESS: "[address]",
	DOCUMENT_NUMBER: "[order/invoice no.]",
	ID_NUMBER: "[ID number]",
	PAYMENT_CARD: "[card number]",
}

#: When detections overlap they are replaced together, under the kind of the longest one; on a tie
#: a custom pattern wins, then the built-in kind listed first here.
KIND_ORDER = (ID_NUMBER, PAYMENT_CARD, EMAIL, DOCUMENT_NUMBER, PHONE, ADDRESS, NAME)

#: Known values shorter than this are ignored (a one-letter name or a two-digit address line would
#: redact half the text).
MIN_NAME_LENGTH = 2
MIN_KNOWN_LENGTH = 3

MSG_PATTERN_INVALID = "Not a valid regular expression: {error}"
MSG_PATTERN_MATCHES_EMPTY = "The pattern matches empty text; it must match at least one character"


@dataclass(frozen=True)
class Replacement:
	kind: str
	original: str
	placeholder: str


@dataclass(frozen=True)
class PatternProblem:
	"""An admin-defined pattern that cannot be used.

	``message`` is an English template: translate it, then ``.format(error=problem.error)``.
	"""

	label: str
	pattern: str
	message: str
	error: str = ""


@dataclass
class RedactionResult:
	text: str
	replacements: list[Replacement] = field(default_factory=list)
	rejected: list[PatternProblem] = field(default_factory=list)

	def counts(self) -> dict[str, int]:
		"""How many replacements of each kind, in order of first appearance."""
		return dict(Counter(r.kind for r in self.replacements))


def validate_pattern(pattern: str, label: str = "") -> PatternProblem | None:
	"""Why an admin-defined pattern cannot be used, or ``None`` when it can."""
	try:
		regex = re.compile(pattern)
	except (re.error, RecursionError, OverflowError, TypeError) as exc:
		return PatternProblem(label, str(pattern), MSG_PATTERN_INVALID, str(exc))
	if regex.search("") is not None:
		return PatternProblem(label, pattern, MSG_PATTERN_MATCHES_EMPTY)
	return None


def redact(
	text: str | None,
	*,
	names: Iterable[str] = (),
	addresses: Iterable[str] = (),
	numbers: Iterable[str] = (),
	patterns: Iterable[tuple[str, str]] = (),
	placeholders: Mapping[str, str] | None = None,
) -> RedactionResult:
	"""Replace the personal data in ``text``.

	``names``: the contact's and customer's names (full, first, last); ``addresses``: lines of their
	address records (street lines rather than a city or country, which would be removed everywhere);
	``numbers``: document names such as the ticket's Sales Order and Sales Invoice; ``patterns``:
	``(label, regex)`` pairs whose whole match is replaced and reported under ``label``, invalid ones
	are skipped and listed in ``rejected``; ``placeholders``: kind -> replacement text, defaults in
	:data:`PLACEHOLDERS`.
	"""
	custom: list[tuple[str, re.Pattern]] = []
	rejected: list[PatternProblem] = []
	for label, pattern in patterns:
		kind = (label or "").strip() or "custom"
		problem = validate_pattern(pattern, kind)
		if problem:
			rejected.append(problem)
		else:
			custom.append((kind, re.compile(pattern)))
	text = "" if text is None else str(text)
	if not text:
		return RedactionResult("", [], rejected)

	names = [n.strip() for n in names if n and n.strip()]
	spans = [(m.start(), m.end(), kind) for kind, regex in custom for m in regex.finditer(text) if m.group()]
	spans += _known_spans(text, NAME, [n for n in names if len(n) >= MIN_NAME_LENGTH], r"\s")
	spans += _known_spans(text, ADDRESS, _long_enough(addresses), r"[\s,，]")
	spans += _known_spans(text, DOCUMENT_NUMBER, _long_enough(numbers), r"\s")
	spans += _title_spans(text, names)
	for detect in _DETECTORS:
		spans += detect(text)
	return _apply(text, spans, {**PLACEHOLDERS, **(placeholders or {})}, rejected, {k for k, _ in custom})


def _long_enough(values: Iterable[str]) -> list[str]:
	return [v.strip() for v in values if v and len(v.strip()) >= MIN_KNOWN_LENGTH]


def _apply(text, spans, placeholders, rejected, custom_kinds) -> RedactionResult:
	def rank(kind: str) -> int:
		return -1 if kind in custom_kinds else KIND_ORDER.index(kind)

	clusters: list[list] = []  # [start, end, kind, length of the detection that named it]
	for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
		last = clusters[-1] if clusters else None
		if last is None or start >= last[1]:
			clusters.append([start, end, kind, end - start])
			continue
		last[1] = max(last[1], end)
		if (end - start, -rank(kind)) > (last[3], -rank(last[2])):
			last[2], last[3] = kind, end - start

	out, replacements, pos = [], [], 0
	for start, end, kind, _length in clusters:
		placeholder = placeholders.get(kind) or f"[{kind}]"
		replacements.append(Replacement(kind, text[start:end], placeholder))
		out += [text[pos:start], placeholder]
		pos = end
	out.append(text[pos:])
	return RedactionResult("".join(out), replacements, rejected)


# --- Known values -----------------------------------------------------------------------------------
_LATIN_WORD = "0-9A-Za-z\u00c0-\u024f"
_CJK = "\u3400-\u9fff"
_COMPOUND_SURNAMES = "欧阳 司马 诸葛 上官 东方 慕容 令狐 皇甫 尉迟 公孙 长孙 宇文 司徒 夏侯 端木".split()
_TITLES = "先生|女士|小姐|太太|经理|总监|主任|老师|师傅|工程师|博士|教授|律师|医生|同学|老板"


def _literal(value: str, separator: str) -> str:
	"""A known value as a pattern: its words with a short run of separators between them, apostrophes
	of either shape, and word boundaries on its Latin ends."""
	words = [re.escape(w) for w in re.split(f"{separator}+", value) if w]
	body = f"{separator}{{1,5}}".join(words)
	body = re.sub("['’]", "['’]", body)
	if re.match(f"[{_LATIN_WORD}]", value):
		body = f"(?<![{_LATIN_WORD}]){body}"
	if re.search(f"[{_LATIN_WORD}]$", value):
		body = f"{body}(?![{_LATIN_WORD}])"
	return body


def _known_spans(text: str, kind: str, values: list[str], separator: str) -> list[tuple[int, int, str]]:
	unique = {v.casefold(): v for v in values}.values()
	if not unique:
		return []
	alternatives = [_literal(v, separator) for v in sorted(unique, key=len, reverse=True)]
	regex = re.compile("|".join(alternatives), re.IGNORECASE)
	return [(m.start(), m.end(), kind) for m in regex.finditer(text)]


def _title_spans(text: str, names: list[str]) -> list[tuple[int, int, str]]:
	"""王先生, 李女士, 张经理: a form of address after the surname of a known Chinese name."""
	surnames = set()
	for name in names:
		if re.match(f"[{_CJK}]", name):
			surnames.add(next((s for s in _COMPOUND_SURNAMES if name.startswith(s)), name[0]))
	if not surnames:
		return []
	regex = re.compile(f"(?:{'|'.join(sorted(surnames, key=len, reverse=True))})(?:{_TITLES})")
	return [(m.start(), m.end(), NAME) for m in regex.finditer(text)]


# --- E-mail, ID numbers, document numbers ------------------------------------------------------------
_EMAIL_RE = re.compile(
	r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
	r"\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)
_CN_ID_RE = re.compile(
	r"(?<![A-Za-z0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]"
	r"(?![A-Za-z0-9])"
)
_CN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# ERPNext naming series of selling, buying and stock documents (v15 defaults and older short ones).
_SERIES = "SAL-ORD|SAL-QTN|ACC-SINV|ACC-PINV|ACC-PAY|PUR-ORD|PUR-SQTN|MAT-DN|MAT-PRE|MAT-PR|MAT-MR|SO|SINV|PINV|PO|DN|QTN"
_SERIES_RE = re.compile(
	rf"(?<![A-Za-z0-9_-])(?:{_SERIES})(?:-RET)?-(?:\d{{2,4}}-){{0,2}}\d{{3,10}}(?:-\d{{1,3}})?"
	r"(?![A-Za-z0-9_]|-\d)"
)
# A number after an order/invoice word: "order #12345", "invoice number 2024-0042", "订单号：2024…".
_NUMBER_AFTER = (
	r"[ \t]{0,3}(?P<colon>[:：#])?[ \t]{0,3}(?:is[ \t]{1,3}|是|为)?"
	r"(?P<number>[A-Za-z0-9](?:[A-Za-z0-9]|[/.-](?=[A-Za-z0-9])){2,40})(?![A-Za-z0-9]|[年月日号])"
)
_EN_DOC_RE = re.compile(
	r"(?<![A-Za-z])(?:sales[ \t]order|purchase[ \t]order|order|invoice|receipt|quotation|delivery[ \t]note|"
	r"credit[ \t]note|tracking|waybill|shipment|contract|(?-i:PO))s?(?![A-Za-z])"
	r"(?P<marker>[ \t]{0,3}(?:number|num\.?|no\.|no(?![A-Za-z])|nr\.?|id(?![A-Za-z])))?" + _NUMBER_AFTER,
	re.IGNORECASE,
)
_ZH_DOC_RE = re.compile(
	r"(?:订单|发票|运单|快递单|物流单|合同|销售单|采购单|发货单|送货单|退货单|报价单|收据)"
	r"(?P<marker>编号|号码|单号|代码|号|码)?" + _NUMBER_AFTER
)
_DATE_RE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")


def _email_spans(text: str):
	return [(m.start(), m.end(), EMAIL) for m in _EMAIL_RE.finditer(text)]


def _id_number_spans(text: str):
	def valid(value: str) -> bool:
		total = sum(int(c) * w for c, w in zip(value[:17], _CN_ID_WEIGHTS, strict=True))
		return "10X98765432"[total % 11] == value[-1].upper()

	return [(m.start(), m.end(), ID_NUMBER) for m in _CN_ID_RE.finditer(text) if valid(m.group())]


def _document_number_spans(text: str):
	spans = [(m.start(), m.end(), DOCUMENT_NUMBER) for m in _SERIES_RE.finditer(text)]
	for regex in (_EN_DOC_RE, _ZH_DOC_RE):
		spans += [
			(m.start("number"), m.end("number"), DOCUMENT_NUMBER)
			for m in regex.finditer(text)
			if _is_document_number(m)
		]
	return spans


def _is_document_number(m: re.Match) -> bool:
	"""Without "no." / "号" / ":" before it, a short number is more likely a count or a year."""
	number = m.group("number")
	digits = sum(c.isdigit() for c in number)
	return digits >= (3 if m.group("marker") or m.group("colon") else 5) and not _DATE_RE.fullmatch(number)


# --- Phone and card numbers --------------------------------------------------------------------------
# A run of digit groups joined by single spaces, dots or dashes, not inside a word, amount, path or
# version; it is then cut at its spaces into windows that are checked against the phone and card shapes.
_DIGIT_RUN_RE = re.compile(
	r"(?<![A-Za-z0-9_+/\\#$€£¥￥@%&=])(?<![0-9A-Za-z][.,-])"
	r"\+?(?:\(\d{1,5}\)|\d{1,19})(?:[ .-](?:\(\d{1,5}\)|\d{1,19})){0,7}"
	r"(?![A-Za-z0-9_%]|[.,]\d)"
)
_MAX_WINDOW = 5  # "6222 0212 3456 7890 123", "+86 10 1234 5678"
_PHONE_RE = re.compile(
	# Chinese mobile, optionally after 86: 13812345678, 138 1234 5678, 86-138-1234-5678
	r"(?:\(?86\)?[ -])?1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4}|[ -]\d{8})"
	# trunk prefix 0 and an area code, then a separator: 010-12345678, (021) 1234 5678, 020 7946 0958
	r"|(?:\(0\d{2,4}\) ?|0\d{2,4}[ .-])\d{3,8}(?:[ .-]\d{3,8})?"
	# North American: (555) 123-4567, 555.123.4567, 1-800-555-1234
	r"|(?:1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])\d{3}[ .-]\d{4}"
	# international with 00: 0086 138 1234 5678
	r"|00[1-9]\d{0,2}[ .-]\d[\d .-]{6,16}\d"
)
_CARD_RE = re.compile(r"\d{14,19}|\d{4,6}(?:[ -]\d{3,6}){2,4}")


def _luhn(digits: str) -> bool:
	total = 0
	for i, c in enumerate(reversed(digits)):
		d = int(c) * (2 if i % 2 else 1)
		total += d - 9 if d > 9 else d
	return total % 10 == 0


def _card_network(digits: str) -> bool:
	"""Prefix and length of Visa, Mastercard, Amex, Discover, UnionPay, JCB or Diners."""
	n, two, four = len(digits), digits[:2], digits[:4]
	if digits[0] == "4":
		return n in (16, 19)
	if two in ("34", "37"):
		return n == 15
	if "51" <= two <= "55" or "2221" <= four <= "2720":
		return n == 16
	if two in ("62", "65", "35") or four == "6011" or "644" <= digits[:3] <= "649":
		return 16 <= n <= 19
	if two in ("30", "36", "38", "39"):
		return 14 <= n <= 16
	return False


def _number_kind(window: str) -> str | None:
	digits = re.sub(r"\D", "", window)
	if _CARD_RE.fullmatch(window) and 14 <= len(digits) <= 19 and _card_network(digits) and _luhn(digits):
		return PAYMENT_CARD
	if window.startswith("+"):
		return PHONE if 8 <= len(digits) <= 15 and digits[0] != "0" else None
	if 10 <= len(digits) <= 17 and _PHONE_RE.fullmatch(window):
		return PHONE
	return None


def _phone_and_card_spans(text: str):
	spans = []
	for run in _DIGIT_RUN_RE.finditer(text):
		chunks = [(m.start(), m.end()) for m in re.finditer(r"[^ ]+", run.group())]
		i = 0
		while i < len(chunks):
			for j in range(min(len(chunks), i + _MAX_WINDOW), i, -1):
				start, end = chunks[i][0], chunks[j - 1][1]
				kind = _number_kind(run.group()[start:end])
				if kind:
					spans.append((run.start() + start, run.start() + end, kind))
					i = j
					break
			else:
				i += 1
	return spans


# --- Addresses ---------------------------------------------------------------------------------------
_STREET_TYPES = "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Terrace|Parkway|Pkwy|Highway|Hwy"
#: Street types that are also ordinary words ("2 Open Google Drive"): an address only with a unit,
#: city or postcode after them.
_AMBIGUOUS_STREET_TYPES = "Drive|Dr|Way|Place|Pl|Court|Ct|Square|Sq"
_UNIT = r"(?:Suite|Ste|Apt|Apartment|Unit|Floor|Fl|Room|Rm)(?![A-Za-z])\.?[ \t]{0,2}#?[A-Za-z0-9-]{1,6}(?![A-Za-z0-9])"
_POSTCODE = (
	r"(?:\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)(?![A-Za-z0-9])"
)
_PLACE = r"[A-Z][A-Za-z]{1,20}(?:[ \t][A-Z][A-Za-z]{1,20}){0,2}"
# "12 Main Street", "Suite 400, 55 King St W, Toronto, ON M5V 2T6": a house number, capitalised words
# and a street type; a city and state count only when a postcode follows them.
_EN_ADDRESS_RE = re.compile(
	rf"(?:{_UNIT},?[ \t]{{1,3}})?(?<![A-Za-z0-9.,:/#-])\d{{1,5}}[A-Za-z]?"
	rf"(?:[ \t]{{1,3}}[A-Z][A-Za-z'.-]{{0,30}}){{1,4}}?[ \t]{{1,3}}"
	rf"(?:{_STREET_TYPES}|(?P<ambiguous>{_AMBIGUOUS_STREET_TYPES}))(?![A-Za-z0-9])"
	rf"(?:[ \t](?:N|S|E|W|NE|NW|SE|SW)(?![A-Za-z0-9]))?(?P<more>(?:,?[ \t]{{1,3}}{_UNIT})?"
	rf"(?:(?:,[ \t]{{0,3}}{_PLACE}){{1,2}},?[ \t]{{1,3}}(?:[A-Z]{{2}}[ \t]{{1,2}})?{_POSTCODE}|,?[ \t]{{1,3}}{_POSTCODE})?)"
)
# A Chinese place-name character: not one of the words that usually introduce an address (地址是,
# 住在, 寄到, 说, 我的).
_ZH_PLACE = rf"(?:(?![址是在到的寄送往于至为请从住说改填写我您你他她们和与及或也])[{_CJK}])"
_ZH_NAME_CHAR_RE = re.compile(rf"{_ZH_PLACE}|[A-Za-z]")
_ZH_NUMBER = "[0-9０-９一二三四五六七八九十百零〇]"
_ZH_UNIT = (
	rf"(?:{_ZH_PLACE}|[A-Za-z]){{0,10}}?[0-9０-９A-Za-z一二三四五六七八九十-]{{1,6}}"
	r"(?:号楼|栋|幢|座|单元|层|楼|室|号|户)"
)
_ZH_POSTCODE = r"(?:[,，\s]{0,2}(?:邮编|邮政编码)[:：]?[ \t]{0,2}\d{6}(?!\d))?"
# An address is found from its road and house number (建国路88号…室) or its estate and building
# (阳光花园3栋501室), then extended to the left over the road or estate name and the province, city,
# district and town before it (searching from the keyword keeps the time linear).
_ZH_ROAD_RE = re.compile(
	rf"(?:大道|大街|路|街|巷|弄|胡同)[ \t]?{_ZH_NUMBER}{{1,5}}(?:-\d{{1,4}})?[ \t]?号(?P<rest>(?:{_ZH_UNIT}){{0,4}})"
	+ _ZH_POSTCODE
)
_ZH_ESTATE_RE = re.compile(
	rf"(?:小区|花园|公寓|大厦|新村|家园|苑)(?P<rest>(?:{_ZH_UNIT}){{1,4}})" + _ZH_POSTCODE
)
_ZH_PREFIX_RE = re.compile(
	rf"(?P<admin>(?:{_ZH_PLACE}{{2,4}}?(?:省|自治区|特别行政区))?(?:{_ZH_PLACE}{{1,5}}?(?:市|自治州|地区|盟))?"
	rf"(?:{_ZH_PLACE}{{1,5}}?(?:区|县|旗))?(?:{_ZH_PLACE}{{1,5}}?(?:街道|镇|乡))?)(?:{_ZH_PLACE}|[A-Za-z]){{1,8}}"
)
_ZH_PREFIX_MAX = 30
_ZH_BUILDING_RE = re.compile("号楼|栋|幢|座|单元|室")


def _zh_prefix(text: str, end: int) -> re.Match | None:
	"""The longest province…road-name part that ends at ``end``."""
	start = end
	while start > 0 and end - start < _ZH_PREFIX_MAX and _ZH_NAME_CHAR_RE.match(text, start - 1):
		start -= 1
	return next((m for i in range(start, end) if (m := _ZH_PREFIX_RE.fullmatch(text, i, end))), None)


def _address_spans(text: str):
	spans = [
		(m.start(), m.end(), ADDRESS)
		for m in _EN_ADDRESS_RE.finditer(text)
		if m.group("more") or not m.group("ambiguous")
	]
	# Conservative: a road and number count only with a province, city or district before them, a
	# building or room after them, or 地址 just before; an estate only with a building or room after it.
	for m in _ZH_ROAD_RE.finditer(text):
		prefix = _zh_prefix(text, m.start())
		if prefix and (
			prefix.group("admin")
			or m.group("rest")
			or "地址" in text[max(0, prefix.start() - 6) : prefix.start()]
		):
			spans.append((prefix.start(), m.end(), ADDRESS))
	for m in _ZH_ESTATE_RE.finditer(text):
		prefix = _zh_prefix(text, m.start())
		if prefix and _ZH_BUILDING_RE.search(m.group("rest")):
			spans.append((prefix.start(), m.end(), ADDRESS))
	return spans


_DETECTORS = (_email_spans, _id_number_spans, _document_number_spans, _phone_and_card_spans, _address_spans)

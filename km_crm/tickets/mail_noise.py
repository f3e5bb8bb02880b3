"""What in a customer's e-mail is not their own words: the rules behind ticket_text.strip_noise.

Pure Python, no ``import frappe``. Line rules work on the message's lines (quoted mail, disclaimers,
signature, greeting); sentence rules on each sentence (courtesy, identifiers). English and Chinese
mail conventions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from km_crm.knowledge.article_shape import split_sentences
from km_crm.search.analysis import ZH_QUERY_STOP_TERMS, normalize, word_term

MAX_SIGNATURE_LINES = 10
SHORT_LINE_CHARS = 80
REFERENCE_LEFTOVER_WORDS = 2  # a clause giving a reference goes when no more words than this are left

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_RE = re.compile(rf"[A-Za-z]{{2,}}|[{CJK}]")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")
_CJK_RUN_RE = re.compile(rf"[{CJK}]+")
_ZH_STOP_BY_LENGTH = sorted(ZH_QUERY_STOP_TERMS, key=len, reverse=True)
_END_PUNCT = "[\\s,.!:;，。！：；、~～]*"
_SPACES_RE = re.compile(r"\s+")
_SENTENCE_ENDS = ".!?。！？"
_CLAUSE_RE = re.compile(r"(?<=[，；;])|(?<=,)(?!\d)")  # after a comma or semicolon (not "500,000")

# --- quoted mail -----------------------------------------------------------------------------------
_ATTRIBUTION_RE = re.compile(
	r"(?i:on\s.{4,250}\swrote|.{0,200}<?[\w.+-]+@[\w.-]+>?\s+wrote)\s*:?$|.{0,200}写道\s*[:：]?$"
)
_SEPARATOR_RE = re.compile(
	r"(?i:-{2,}\s*(?:original message|forwarded message|原始邮件|邮件原件|转发邮件|转发的邮件)\s*-{2,}"
	r"|begin forwarded message:?)$"
)
_HEADER_RE = re.compile(
	r"(?i:from|sent|date|to|cc|bcc|subject|reply-to|发件人|发送时间|发送日期|时间|日期|收件人|抄送|主题"
	r"|寄件者|寄件日期|收件者|副本|主旨)\s*[:：]"
)
_FROM_RE = re.compile(r"(?i:from|发件人|寄件者)\s*[:：]")
_INLINE_HEADERS_RE = re.compile(r"(?i:\bsent\s*:|\bsubject\s*:|\bdate\s*:|发送时间\s*[:：]|主题\s*[:：])")

# --- disclaimers -----------------------------------------------------------------------------------
_DISCLAIMER_HEADING_RE = re.compile(
	r"(?i:disclaimer|confidentiality notice|confidentiality|legal notice|免责声明|保密声明|法律声明)\s*[:：]"
)
_THIS_MESSAGE_RE = re.compile(
	r"(?i:\b(?:this|the)\s+(?:e-?mail|message|communication|transmission)s?\b)|本邮件|此邮件|该邮件|这封邮件"
)
_DISCLAIMER_WORD_RE = re.compile(
	r"(?i:confidential|privileged|intended|recipient|addressee|disclos|distribut|dissemin|delete|destroy"
	r"|virus|liab|unauthori[sz]ed|legally|in error|print)"
	r"|保密|机密|收件人|删除|销毁|传播|披露|复制|病毒|授权"
)

# --- signatures ------------------------------------------------------------------------------------
_SIGN_OFF_RE = re.compile(
	r"(?:(?i:(?:(?:best|kind|warm|warmest|many|with|yours)\s+)?(?:regards|wishes|thanks|thank you|cheers"
	r"|sincerely|respectfully|rgds|best|all the best|take care|thx)|(?:sincerely|truly|faithfully)\s+yours)"
	r"|此致|敬礼|此致敬礼|祝好|顺祝商祺|顺颂商祺|顺颂时祺|谢谢|多谢|感谢|非常感谢)"
	rf"{_END_PUNCT}(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){{0,3}}|[{CJK}]{{2,4}})?{_END_PUNCT}"
)
_SENT_FROM_RE = re.compile(r"(?i:sent from my|get outlook for|发自我的|从我的).{0,40}")
_NAME_CONNECTORS = frozenset({"of", "and", "the", "for", "at", "de", "van", "von"})
_PROSE_PUNCT_RE = re.compile(r"[。？！?，；]")
_PROSE_ZH_RE = re.compile(r"[我你吗呢吧了的是不没还就把被给让请很]|怎么|什么|如何|能否|可以|无法")
_CONTACT_LABEL_RE = re.compile(
	r"(?i:tel|phone|mobile|mob|cell|fax|e-?mail|web|website|wechat|电话|手机|邮箱|传真|微信|地址|网址)\s*[:：.]"
)

# --- greetings and courtesy ------------------------------------------------------------------------
_GREETING_RE = re.compile(
	r"(?:(?i:hi|hello|hey|hiya|dear|greetings|good\s+(?:morning|afternoon|evening|day)|to whom it may concern)"
	r"(?:\s+[^\s,，:：!！.。?？]+){0,4}?(?:\s*[,，:：!！.。]+|\s*$)"
	rf"|(?:尊敬的|亲爱的)[^，,：:！!。]{{0,15}}[，,：:！!。]|[{CJK}A-Za-z]{{0,6}}(?:您好|你好)"
	r"|各位好|大家好|早上好|上午好|中午好|下午好|晚上好)[\s,，:：!！.。~～]*"
)
_COURTESY_RE = re.compile(
	r"(?i:(?:i\s+)?hope\s+(?:this|you|all|your|everything)\b[^.!?]{0,50}"
	r"\b(?:well|good|great|fine|safe|healthy|weekend|week|day|holidays?)"
	r"|(?:many\s+)?thanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?(?:\s+(?:in advance|again|for (?:your|the)"
	r" (?:help|time|assistance|support|patience|reply|response|attention)))?"
	r"|(?:any|your)\s+(?:help|assistance|advice|support|guidance|reply|response)\s+(?:would be|is|will be)"
	r"(?:\s+(?:much|greatly|really|very much|highly))?\s+appreciated"
	r"|(?:i\s+am\s+|i'm\s+)?looking forward to (?:hearing from you|your (?:reply|response|answer|help))(?: soon)?"
	r"|please\s+(?:advise|let me know|get back to me|check|help|confirm|look into (?:this|it))"
	r"(?: asap| soon| as soon as possible)?"
	r"|have a (?:nice|good|great) (?:day|weekend|one)|sorry (?:to bother you|for the trouble))"
	r"|(?:谢谢|多谢|感谢|非常感谢|十分感谢)(?:您|你)?的?(?:耐心|热心)?(?:帮助|帮忙|支持|回复|解答|答复)?"
	r"|(?:请|麻烦)(?:您|你)?(?:帮(?:我|忙))?(?:尽快)?(?:回复|答复|处理|查一下|看一下|核实一下|确认一下)"
	r"|(?:期待|盼望|等待)(?:您|你)?的?(?:回复|答复|回音)|盼复|静候佳音|望回复|麻烦(?:您|你)?了|辛苦(?:您)?了"
	r"|(?:不好意思)?打扰(?:一下|了|您了)|(?:希望|祝)(?:您|你)?(?:一切)?(?:都)?(?:好|顺利|安好|愉快|工作顺利|生活愉快)"
)

# --- identifiers -----------------------------------------------------------------------------------
_EMAIL_RE = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_URL_RE = (
	r"(?:https?://|www\.)[^\s<>\"'，。）)]+"
	r"|\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|net|org|cn|io|co|gov|edu|info|biz)\b(?:/[^\s<>\"'，。）)]*)?"
)
_FILE_RE = r"(?<![\w.-])[\w.-]+\.(?i:png|jpe?g|gif|pdf|docx?|xlsx?|pptx?|zip|txt|csv|eml|msg)\b"
_PHONE_RE = r"(?<![\w.])\+?\(?\d(?:[\d().-]|\s(?=[\d(])){5,}\d(?!\w|\.\d)"
_DATE_TIME_RE = (
	r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?"
)
_LABEL = (
	r"(?i:\b(?:order|invoice|account|acct|policy|ticket|case|reference|ref|customer|client|member|claim"
	r"|tracking|transaction|contract|booking|confirmation|serial|membership))"
)
_VALUE = r"(?=[A-Za-z/_-]*\d)[A-Za-z0-9][A-Za-z0-9/_-]{2,}"
_LABELLED_RE = (
	rf"{_LABEL}\s*(?i:number|num|no\.?|nr|id|code|#)\s*(?i:is|:)?\s*#?{_VALUE}"
	rf"|{_LABEL}\s*(?i:is|:)?\s*(?:#{_VALUE}|(?=[0-9/_-]*[A-Za-z])(?=[A-Za-z/_-]*\d)[A-Za-z0-9/_-]{{4,}}|\d{{5,}})"
	r"|(?:(?:订单|发票|账户|帐户|账号|帐号|保单|工单)(?:号码|编号|编码|号)?|(?:合同|客户|会员|案件|理赔|申请|受理"
	r"|参考|身份证|快递|运单|交易|流水|银行卡|卡|单|编)(?:号码|编号|编码|号))"
	rf"\s*(?:是|为)?\s*[:：]?\s*#?{_VALUE}"
)
_CODE_RE = r"#\d{3,}|(?<![A-Za-z0-9])[A-Za-z]{1,5}[-_]?\d{4,}[A-Za-z0-9/_-]*|(?<!\d)\d{8,}(?!\d)"
_REFERENCE_RE = re.compile(
	"|".join(
		f"(?P<{name}>{pattern})"
		for name, pattern in (
			("email", _EMAIL_RE),
			("url", _URL_RE),
			("file", _FILE_RE),
			("labelled", _LABELLED_RE),
			("date", _DATE_TIME_RE),
			("phone", _PHONE_RE),
			("code", _CODE_RE),
		)
	)
)
_CONTACT_RE = re.compile(f"(?P<email>{_EMAIL_RE})|(?P<url>{_URL_RE})|(?P<phone>{_PHONE_RE})")

# --- the writer introducing themselves, and call-backs ----------------------------------------------
_NAME = r"[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3}"
_ORG = r"[A-Z0-9][\w&'.-]*(?:\s+(?:[A-Z0-9&][\w&'.-]*|of|and|the|de|for)){0,5}"


def _intro_re(name: str = _NAME, org: str = _ORG) -> re.Pattern:
	return re.compile(
		rf"(?i:this\s+is|my\s+name\s+is|i\s+am|i'm|it's|here\s+is)\s+{name}"
		rf"(?:\s+(?i:from|at|of|with|here\s+from)\s+(?:(?i:the)\s+)?{org})?(?:\s+(?i:here))?"
		r"(?:\s*[(（][^()（）]{0,120}[)）])?"
	)


_INTRO_RE = _intro_re()
_ZH_INTRO_RE = re.compile(r"我(?:叫|是)[^，,。！!？?；;（(]{1,25}(?:[（(][^）)]{0,120}[）)])?")
_ZH_ORG_RE = re.compile(rf"(?:公司|集团|有限|贸易|科技|工厂|商店|门店|商行|银行)|的[{CJK}]{{2,4}}$")
_LOOSE_PHONE = r"\+?\(?\d[\d\s().-]{6,}\d"
_CONTACT_DETAIL = rf"(?:{_LOOSE_PHONE}|{_EMAIL_RE})"
_CALL_VERB = (
	r"(?i:call|ring|phone|text|contact|reach|e-?mail|message|whatsapp|wechat|get\s+in\s+touch\s+with"
	r"|get\s+back\s+to|reply\s+to)"
)
_CALL_LEAD = (
	r"(?:^|(?<=[,;:(]\s)|\b(?i:please|pls|kindly|you\s+can|you\s+may|you\s+could|feel\s+free\s+to|do\s+not"
	r"\s+hesitate\s+to|don't\s+hesitate\s+to|can\s+you|could\s+you|would\s+you|then|and|or|just|to|will|i'll"
	r"|we'll|should)\s+)"
)
_ZH_CALL_BACK_RE = re.compile(
	r"回电|回个?电话|回拨|打给我|给我(?:回|打)个?电话|(?:联系|联络)(?:一下)?我|(?:与|和|跟)我(?:们)?(?:联系|联络)"
	r"|致电我|拨打我|我的(?:电话|手机|号码)(?:是|为)"
)
_ZH_CALL_VERB_RE = re.compile(r"致电|拨打|联系|联络|电话|手机|邮件|邮箱|微信")
_CONDITION_RE = re.compile(r"(?i:if|when|whenever|should|in case|unless)\b|如果|如有|若|假如|要是|万一")

_CALL_BACK_RE = re.compile(
	rf"{_CALL_LEAD}{_CALL_VERB}\s+(?:(?i:me|us)\b|(?i:back)\b|(?:(?i:on|at|via|to)\s+)?{_CONTACT_DETAIL}"
	rf"|{_NAME}\b.{{0,40}}?{_CONTACT_DETAIL})"
	r"|(?i:\b(?:i|we)\s+(?:can|may)\s+be\s+reached|\breach\s+me\b|\bcall\s+me\b)"
	r"|(?i:\bmy\s+(?:direct\s+)?(?:line|number|mobile|phone|cell|e-?mail)(?:\s+(?:number|address))?(?:\s+is)?"
	rf"\s*[:：]?\s*){_CONTACT_DETAIL}"
)


# --- questions -------------------------------------------------------------------------------------
_QUESTION_RE = re.compile(
	r"[?？]\s*$|^(?i:how|what|why|when|where|which|who|whom|whose|can|could|do|does|did|is|are|was|were|will"
	r"|would|should|shall|may|might|am|have|has|had|isn't|aren't|don't|doesn't|didn't|won't|can't|couldn't)\b"
	r"|(?i:\b(?:i(?:'d| would) like to know|i want to know|i wonder|wondering|need to know|please (?:tell|explain)"
	r"|could you (?:tell|explain|let me know)))"
	r"|[吗呢么嘛吧][\s。！!～~]*$|什么|为什么|为何|何时|怎么|怎样|咋|如何|多少|多久|(?<![好十这那没])几[次个天时号点月年岁种]"
	r"|哪|是否|能否|可否|能不能|可不可以|有没有|是不是|啥|想知道|想问|请问|请告诉"
)


def has_words(text: str) -> bool:
	"""True when the text holds a word (two letters) or a Chinese character."""
	return _WORD_RE.search(text) is not None


def is_question(sentence: str) -> bool:
	"""A question by its mark or its wording ("How do I ...", "I'd like to know", "怎么", "...吗")."""
	return bool(_QUESTION_RE.search(sentence))


def content_words(text: str) -> int:
	"""Words of a text that are not stop words; each Chinese character counts as one."""
	norm = normalize(text)
	words = sum(1 for w in _ASCII_WORD_RE.findall(norm) if word_term(w))
	chinese = "".join(_CJK_RUN_RE.findall(norm))
	for stop in _ZH_STOP_BY_LENGTH:
		chinese = chinese.replace(stop, "")
	return words + len(chinese)


def _is_courtesy(clause: str) -> bool:
	return bool(_COURTESY_RE.fullmatch(clause.rstrip(".!。！~～ ")) or _SIGN_OFF_RE.fullmatch(clause))


def _is_formality(line: str) -> bool:
	return bool(_GREETING_RE.fullmatch(line)) or _is_courtesy(line)


def _is_disclaimer(sentence: str) -> bool:
	return bool(_THIS_MESSAGE_RE.search(sentence) and _DISCLAIMER_WORD_RE.search(sentence))


def _is_phone(match: str) -> bool:
	digits = sum(c.isdigit() for c in match)
	return digits >= 8 or (digits >= 7 and not match.isdigit())


# --- line rules ------------------------------------------------------------------------------------
def _is_quote_start(lines: list[str], i: int) -> bool:
	line = lines[i]
	if _SEPARATOR_RE.fullmatch(line) or _ATTRIBUTION_RE.fullmatch(line):
		return True
	if line[:3].lower() == "on " and i + 1 < len(lines):
		if _ATTRIBUTION_RE.fullmatch(f"{line} {lines[i + 1]}"):
			return True  # the attribution wrapped over two lines
	if _FROM_RE.match(line):
		return bool(_INLINE_HEADERS_RE.search(line)) or any(_HEADER_RE.match(n) for n in lines[i + 1 : i + 5])
	return False


def without_quotes(lines: list[str]) -> list[str]:
	"""Lines above the first reply header, without ">" lines. A forward with nothing of its own
	above the header gives the forwarded text instead, its headers dropped."""
	start = 0  # after a bare forward header: where the forwarded text starts (read without ">")

	def own(end: int) -> list[str]:
		part = lines[start:end]
		return [x for x in part if not _HEADER_RE.match(x)] if start else [x for x in part if x[0] != ">"]

	for i in range(len(lines)):
		if i >= start and _is_quote_start(lines, i):
			mine = own(i)
			if any(has_words(x) and not _is_formality(x) for x in mine):
				return mine
			if not start:
				lines = [x.lstrip("> ") for x in lines]
			start = i + 1
	if start:
		return own(len(lines))
	return own(len(lines)) or [x.lstrip("> ") for x in lines]  # all quoted: read it all


def without_disclaimers(lines: list[str]) -> list[str]:
	"""Lines above a disclaimer heading, without lines made only of disclaimer sentences."""
	for i, line in enumerate(lines):
		if _DISCLAIMER_HEADING_RE.match(line):
			lines = lines[:i]
			break
	return [x for x in lines if not all(_is_disclaimer(s) for s in split_sentences(x))]


def _signature_like(line: str) -> bool:
	"""A name, job title, company, address or contact line rather than a sentence."""
	if len(line) > SHORT_LINE_CHARS or _PROSE_PUNCT_RE.search(line) or _PROSE_ZH_RE.search(line):
		return False
	words = re.findall(r"\b[a-z][a-z']*\b", _CONTACT_RE.sub(" ", line))
	return len([w for w in words if w not in _NAME_CONNECTORS]) <= 2


def _has_contact(line: str) -> bool:
	if _CONTACT_LABEL_RE.match(line):
		return True
	return any(m.lastgroup != "phone" or _is_phone(m.group(0)) for m in _CONTACT_RE.finditer(line))


def without_signature(lines: list[str]) -> list[str]:
	"""Lines above the signature: a "--" line, the last sign-off or courtesy line followed only by
	signature-like lines, or a trailing block of signature-like lines holding contact details."""
	lines = [x for x in lines if not _SENT_FROM_RE.fullmatch(x)]
	for i, line in enumerate(lines):
		if line in ("--", "—", "__"):
			return lines[:i]
	first = next((i for i, x in enumerate(lines) if has_words(x)), len(lines))
	for i in range(len(lines) - 1, first, -1):
		tail = lines[i + 1 :]
		if len(tail) > MAX_SIGNATURE_LINES or not all(_signature_like(x) for x in tail):
			break
		if _is_courtesy(lines[i]):
			return lines[:i]
	start = len(lines)
	while (
		start - 1 > first and len(lines) - start < MAX_SIGNATURE_LINES and _signature_like(lines[start - 1])
	):
		start -= 1
	return lines[:start] if any(_has_contact(x) for x in lines[start:]) else lines


def without_greeting(lines: list[str]) -> list[str]:
	"""The lines without the greeting that opens them."""
	while lines and (not has_words(lines[0]) or _GREETING_RE.fullmatch(lines[0])):
		lines = lines[1:]
	if lines and _GREETING_RE.match(lines[0]):
		lines = [_GREETING_RE.sub("", lines[0], count=1), *lines[1:]]
	return lines


# --- sentence rules --------------------------------------------------------------------------------
def _clean_clause(clause: str) -> str:
	"""The clause without courtesy and identifiers; "" when it only gave a reference."""
	if _is_courtesy(clause.strip(" ,;，；")):
		return ""
	removed = False

	def drop(match: re.Match) -> str:
		nonlocal removed
		if match.lastgroup == "phone" and not _is_phone(match.group(0)):
			return match.group(0)  # an amount, not a phone number
		removed = True
		return " "

	cleaned = _REFERENCE_RE.sub(drop, clause)
	if removed and not is_question(clause) and content_words(cleaned) <= REFERENCE_LEFTOVER_WORDS:
		return ""
	return re.sub(r"[(\[（【]\s*[)\]）】]", " ", cleaned)


def _mentions(text: str, names: Iterable[str]) -> bool:
	"""True when the text names one of `names` (whole words for Latin names; two characters or more)."""
	for name in names:
		name = (name or "").strip()
		if len(name) < 2:
			continue
		if re.search(rf"(?<!\w){re.escape(name)}(?!\w)" if name.isascii() else re.escape(name), text, re.I):
			return True
	return False


def _has_contact_detail(text: str) -> bool:
	return any(m.lastgroup != "phone" or _is_phone(m.group(0)) for m in _CONTACT_RE.finditer(text))


def without_introduction(sentence: str, names: Iterable[str] = ()) -> str:
	"""The sentence without the writer introducing themselves: "This is Maria from Globex
	(maria@globex.example, +1 415 555 0134).", "My name is Ana.", "I'm Maria Lopez, our POS ..." ->
	"Our POS ...", "我是华东贸易的王芳。". An introduction names a company, a known name or contact
	details ("This is Chrome." stays); "" when the sentence was only that."""
	names = tuple(n.strip() for n in names if len((n or "").strip()) > 1)
	intro_re = _INTRO_RE
	if names:  # a known name or company may be written in lower case ("from acme trading")
		known = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
		intro_re = _intro_re(f"(?:(?i:{known})|{_NAME})", f"(?:(?i:{known})|{_ORG})")
	m = intro_re.match(sentence)
	if m:
		intro = m.group(0)
		if not (
			re.search(r"\s(?i:from|at|of|with)\s", intro)
			or intro[:7].lower() == "my name"
			or _mentions(intro, names)
			or _has_contact_detail(intro)
		):
			return sentence
		separator = r"\s*(?:[,;:]|\s-|\s(?i:and)\s)\s*"
	else:
		m = _ZH_INTRO_RE.match(sentence)
		if not m:
			return sentence
		intro = m.group(0)
		core = re.sub(r"[（(].*$", "", intro)
		if not (
			intro.startswith("我叫")
			or _ZH_ORG_RE.search(core)
			or _mentions(intro, names)
			or _has_contact_detail(intro)
		):
			return sentence
		separator = r"\s*[，,；;：:]\s*"
	rest = sentence[m.end() :]
	if not has_words(rest):
		return ""
	sep = re.match(separator, rest)
	if not sep:
		return sentence
	rest = rest[sep.end() :]
	return rest[:1].upper() + rest[1:]


def is_call_back(clause: str, names: Iterable[str] = ()) -> bool:
	"""The clause asks the reader to call, mail or contact a particular person: "Call Maria on +1 415
	555 0134", "ring me back", "you can reach me at ...", "please contact us", "请回电", "有问题请致电
	138 1234 5678". A general "Contact your administrator" is not one."""
	clause = clause.strip()
	if _CALL_BACK_RE.search(clause) or _ZH_CALL_BACK_RE.search(clause):
		return True
	if _ZH_CALL_VERB_RE.search(clause) and (_has_contact_detail(clause) or _mentions(clause, names)):
		return True
	names = [n.strip() for n in names if len((n or "").strip()) > 1]
	return any(
		re.search(rf"{_CALL_LEAD}{_CALL_VERB}\s+{re.escape(n)}(?!\w)", clause, re.IGNORECASE) for n in names
	)


def _own_clauses(sentence: str, names: Iterable[str] = ()) -> list[str]:
	"""The sentence's clauses without a disclaimer, courtesy, the writer's introduction or a call-back
	(with the condition before it: "if the totals still differ, call Maria ...")."""
	names = tuple(names)
	if _is_disclaimer(sentence) or _is_courtesy(sentence.strip()):
		return []
	kept: list[str] = []
	for clause in _CLAUSE_RE.split(without_introduction(sentence, names)):
		bare = clause.strip(" ,;，；")
		if _is_courtesy(bare):
			continue
		if is_call_back(bare, names):
			if kept and _CONDITION_RE.match(kept[-1].strip()):
				kept.pop()
			continue
		kept.append(clause)
	return kept


def clean_sentence(sentence: str) -> str:
	"""The sentence without disclaimers, courtesy clauses, the writer's introduction, call-backs and
	identifiers ("" when nothing is left)."""
	clauses = (_clean_clause(c) for c in _own_clauses(sentence))
	return _SPACES_RE.sub(" ", "".join(clauses)).strip(" ,;:，；：")


def article_sentence(sentence: str, names: Iterable[str] = ()) -> str:
	"""The sentence as an article says it: without disclaimers, courtesy, the writer's introduction and
	call-backs. Identifiers stay (redaction masks them). "" when nothing is left."""
	kept = _SPACES_RE.sub(" ", "".join(_own_clauses(sentence, names))).strip(" ,;:，；：")
	if not has_words(kept):
		return ""
	end = sentence.rstrip()[-1:]
	if end in _SENTENCE_ENDS and kept[-1] not in _SENTENCE_ENDS:
		kept += end
	return kept

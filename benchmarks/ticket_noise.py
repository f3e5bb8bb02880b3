"""Noisy support tickets around a labelled question, for benchmarks/suggest.py.

make_ticket(query) wraps the question as a customer would send it: a greeting, a sentence about
something else, a sentence quoting an order/invoice number or account id, a courtesy closing, a
signature (name, title, company, phone, e-mail), sometimes a disclaimer and quoted earlier mail,
in the query's language. Some tickets carry a long quoted history (about 2,000 characters), some
arrive as HTML. The same query always gets the same ticket (seeded by its id).
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

LONG_TICKET_CHARS = 2000

GREETINGS = {
	"en": [
		"Hi,",
		"Hello,",
		"Hi there,",
		"Hello team,",
		"Dear Sir or Madam,",
		"Dear Customer Service,",
		"Good morning,",
		"Good afternoon team,",
		"Hey,",
		"Hi support,",
		"To whom it may concern,",
		"Dear {name},",
		"Hi {name},",
		"Hello {name}, I hope you had a good weekend.",
		"Hi all, hope you're doing well.",
		"Dear team, I hope this message finds you well.",
	],
	"zh": [
		"您好，",
		"你好！",
		"您好！",
		"客服您好，",
		"尊敬的客服：",
		"{name}经理您好，",
		"早上好，",
		"下午好！",
		"亲爱的客服小姐姐，",
		"各位好，",
		"你好，打扰一下。",
		"您好，希望您一切顺利。",
	],
}

UNRELATED = {
	"en": [
		"I have been a customer of yours for almost ten years now.",
		"I tried calling the hotline twice this week but could not get through.",
		"My wife and I are moving to a new apartment next month.",
		"Your website kept timing out when I tried to log in yesterday.",
		"I am writing from my work computer, so my replies may be slow.",
		"A friend of mine recommended your company to me last year.",
		"This is the second time I am reaching out about this.",
		"I will be travelling for the next two weeks with limited access to email.",
		"My previous advisor retired, so I am not sure who to contact now.",
		"The chat window on your app closed before I could finish typing.",
		"I also mailed a letter last Tuesday but have not heard anything.",
		"Sorry for the long email, I wanted to give you all the details.",
		"My daughter helped me write this because I am not great with computers.",
		"I spoke with someone named Kevin on the phone earlier.",
	],
	"zh": [
		"我已经是你们的老客户了，用了快十年。",
		"我昨天打了好几次客服电话都没人接。",
		"我和家人下个月要搬到新房子去。",
		"你们的网站昨天一直打不开。",
		"这是我第二次来咨询这个问题了。",
		"我朋友去年推荐我用你们的产品。",
		"我最近在外地出差，回复可能会慢一点。",
		"之前帮我办理业务的那位工作人员已经离职了。",
		"手机上的在线客服刚才突然断开了。",
		"上周二我还寄过一封信，到现在也没有消息。",
		"这封邮件是我女儿帮我打的字。",
		"上午我在电话里跟一位姓刘的客服聊过。",
	],
}

REFERENCES = {
	"en": [
		"My policy number is {id}.",
		"Order number: {id}",
		"For reference, my account ID is {id}.",
		"Invoice {id} is attached.",
		"Customer ID: {id}",
		"The case number you gave me was {id}.",
		"Ref: {id}",
		"My member number is {id} if you need it.",
		"Account: {id}",
	],
	"zh": [
		"我的保单号是{id}。",
		"订单号：{id}",
		"我的账号是{id}。",
		"发票号码：{id}",
		"客户编号{id}",
		"之前的工单号是{id}。",
		"合同编号：{id}，请查一下。",
	],
}

CLOSINGS = {
	"en": [
		"Thanks in advance for your help.",
		"Any help would be greatly appreciated.",
		"Looking forward to hearing from you.",
		"Please let me know as soon as possible.",
		"Thank you for your time.",
		"I appreciate your help with this.",
		"Hope to hear back soon.",
		"Thanks!",
	],
	"zh": [
		"谢谢！",
		"麻烦尽快回复，谢谢。",
		"期待您的回复。",
		"辛苦了！",
		"感谢您的耐心解答。",
		"盼复。",
		"麻烦了。",
	],
}

SIGN_OFFS = {
	"en": [
		"Best regards,",
		"Thanks,",
		"Kind regards,",
		"Cheers,",
		"Sincerely,",
		"Regards,",
		"Many thanks,",
		"Best,",
	],
	"zh": ["谢谢！", "此致\n敬礼", "祝好", "顺祝商祺", "谢谢", "祝好！"],
}

NAMES = {
	"en": [
		("Michael", "Turner"),
		("Sarah", "Lopez"),
		("David", "Okafor"),
		("Emily", "Chen"),
		("James", "O'Brien"),
		("Priya", "Raman"),
		("Robert", "Kowalski"),
		("Linda", "Svensson"),
		("Thomas", "Nguyen"),
		("Karen", "Mitchell"),
	],
	"zh": [
		("张", "伟"),
		("李", "娜"),
		("王", "强"),
		("刘", "洋"),
		("陈", "静"),
		("杨", "帆"),
		("赵", "敏"),
		("黄", "磊"),
		("周", "婷"),
		("吴", "昊"),
	],
}

TITLES = {
	"en": [
		"Operations Manager",
		"Senior Accountant",
		"Office Administrator",
		"Head of Procurement",
		"Project Coordinator",
		"Sales Director",
		"Software Engineer",
		"HR Business Partner",
	],
	"zh": ["行政主管", "财务经理", "采购专员", "销售总监", "项目经理", "人事专员", "技术支持工程师"],
}

COMPANIES = {
	"en": [
		("Brightline Logistics Ltd.", "brightline-logistics.com"),
		("Harbor & Pine Consulting", "harborpine.co"),
		("Northgate Dental Group", "northgatedental.com"),
		("Meridian Tools Inc.", "meridiantools.com"),
		("Clearwater Property Management", "clearwaterpm.net"),
		("Atlas Print Solutions", "atlasprint.io"),
	],
	"zh": [
		("上海恒远物流有限公司", "hengyuan-logistics.cn"),
		("杭州云帆科技有限公司", "yunfan-tech.com"),
		("深圳市鑫达贸易有限公司", "xinda-trade.cn"),
		("北京博远咨询有限公司", "boyuan.com.cn"),
		("成都锦程餐饮管理有限公司", "jincheng-food.com"),
	],
}

ADDRESSES = {
	"en": ["1200 Market Street, Suite 400, Denver, CO 80202", "55 King Street West, Toronto, ON M5K 1A2"],
	"zh": ["地址：上海市浦东新区世纪大道88号12楼", "地址：杭州市西湖区文三路259号"],
}

DISCLAIMERS = {
	"en": [
		"CONFIDENTIALITY NOTICE: This email and any attachments are confidential and intended solely for "
		"the use of the individual to whom they are addressed. If you have received this email in error, "
		"please notify the sender and delete it.",
		"This message may contain privileged information. If you are not the intended recipient, any "
		"disclosure, copying or distribution of this message is prohibited. Please consider the environment "
		"before printing this email.",
	],
	"zh": [
		"免责声明：本邮件及其附件可能包含保密信息，仅供指定收件人使用。如果您误收了本邮件，请立即通知发件人并删除。",
		"本邮件内容仅供收件人参考，未经许可不得转发或复制。",
	],
}

GENERIC_SUBJECTS = {
	"en": ["Question about my policy", "Quick question", "Need help", "Inquiry", "Help needed", "Follow up"],
	"zh": ["咨询", "问题咨询", "求助", "关于我的账户", "请帮忙看一下", "咨询一个问题"],
}

EARLIER_MAIL = {
	"en": [
		"Thank you for contacting us. We have received your request and a member of our team will get back "
		"to you within two business days. Your reference number is CS-{n5}.",
		"Hi, just following up on my message from last week about updating the mailing address on my file. "
		"Could you confirm it has been changed?",
		"We are sorry to hear about the trouble you had with the online portal. Our technicians fixed the "
		"login issue over the weekend, so please try again and clear your browser cache if it still fails.",
		"Please find attached the documents you requested: a copy of the signed form and the receipt from "
		"March. Let me know if anything else is missing.",
		"Your payment of $245.00 was received on March 3rd. The updated statement will be available in your "
		"online account within 48 hours.",
		"As discussed on the phone, I am sending over the scanned copy of my ID card. The picture on the "
		"first upload was blurry.",
		"Our office will be closed on Monday for the public holiday. Normal service hours resume on Tuesday "
		"at 8:30 AM.",
		"Thanks for the quick reply. I will check with my bank and get back to you once the transfer shows up.",
	],
	"zh": [
		"感谢您的来信，我们已收到您的请求，工作人员会在两个工作日内与您联系。您的受理编号为CS{n5}。",
		"您好，上周我发邮件说要修改通讯地址，麻烦确认一下是否已经改好了。",
		"很抱歉给您带来不便。网站登录的问题已经在周末修复，请清除浏览器缓存后再试一次。",
		"附件是您要的资料：签好字的表格和三月份的收据，如果还缺什么请告诉我。",
		"您于3月3日支付的245元已经到账，新的账单会在48小时内更新到您的网上账户。",
		"按电话里说的，我把身份证的扫描件发过来了，上次上传的照片不太清楚。",
		"周一是法定节假日，我们办公室放假一天，周二上午八点半恢复正常服务。",
		"谢谢您的及时回复，我去银行查一下，等转账到了再联系您。",
	],
}

AGENTS = {
	"en": [("Customer Care", "support"), ("Claims Team", "claims"), ("Billing Department", "billing")],
	"zh": [("客服中心", "service"), ("理赔部", "claims"), ("账务中心", "billing")],
}
WEEKDAYS = {
	"en": ["Mon", "Tue", "Wed", "Thu", "Fri"],
	"zh": ["星期一", "星期二", "星期三", "星期四", "星期五"],
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Ticket:
	subject: str
	body: str
	is_html: bool
	is_reply: bool  # carries quoted earlier mail
	is_long: bool  # padded with a long quoted history


def _digits(rng: random.Random, n: int) -> str:
	return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _reference_id(rng: random.Random) -> str:
	shapes = [
		lambda: f"PN-{_digits(rng, 8)}",
		lambda: f"INV-2024-{_digits(rng, 4)}",
		lambda: f"A{_digits(rng, 7)}",
		lambda: f"#{_digits(rng, 5)}",
		lambda: _digits(rng, 10),
		lambda: f"CS-{_digits(rng, 5)}",
		lambda: f"{rng.choice('BCDKMT')}{rng.choice('ABXZ')}{_digits(rng, 6)}",
	]
	return rng.choice(shapes)()


def _phone(rng: random.Random, lang: str) -> str:
	if lang == "zh":
		return rng.choice(
			[
				f"138{_digits(rng, 8)}",
				f"021-{_digits(rng, 8)}",
				f"+86 139 {_digits(rng, 4)} {_digits(rng, 4)}",
			]
		)
	return rng.choice(
		[
			f"+1 ({_digits(rng, 3)}) {_digits(rng, 3)}-{_digits(rng, 4)}",
			f"{_digits(rng, 3)}-{_digits(rng, 3)}-{_digits(rng, 4)}",
		]
	)


def _signature(rng: random.Random, lang: str) -> list[str]:
	first, second = rng.choice(NAMES[lang])  # zh: family name, given name
	company, domain = rng.choice(COMPANIES[lang])
	title = rng.choice(TITLES[lang])
	phone = _phone(rng, lang)
	if lang == "zh":
		name, email = (
			f"{first}{second}",
			f"{rng.choice(['zhang', 'li', 'wang', 'chen'])}{_digits(rng, 3)}@{domain}",
		)
		lines = [
			name,
			f"{title} | {company}",
			f"{rng.choice(['电话', '手机', 'Tel'])}：{phone}",
			f"邮箱：{email}",
		]
	else:
		name, email = (
			f"{first} {second}",
			f"{first[0].lower()}.{second.lower().replace(chr(39), '')}@{domain}",
		)
		lines = [name, title, company, f"{rng.choice(['Tel', 'Phone', 'Mobile', 'M'])}: {phone}", email]
		if rng.random() < 0.3:
			lines = [name, f"{title}, {company}", f"{phone} | {email}"]
	if rng.random() < 0.3:
		lines.append(rng.choice(ADDRESSES[lang]))
	if rng.random() < 0.2:
		lines.append(f"www.{domain}")
	sign_off = rng.random()
	if sign_off < 0.7:
		lines = [*rng.choice(SIGN_OFFS[lang]).split("\n"), *lines]
	elif sign_off < 0.85:
		lines = ["--", *lines]
	if rng.random() < 0.1:
		lines.append("Sent from my iPhone" if lang == "en" else "发自我的iPhone")
	return lines


def _quote_header(rng: random.Random, lang: str) -> list[str]:
	agent, box = rng.choice(AGENTS[lang])
	address = f"{box}@{rng.choice(['example-insurer.com', 'helpdesk.example.org', 'service.example.cn'])}"
	day, hour, minute = rng.randint(1, 28), rng.randint(8, 18), rng.randint(0, 59)
	weekday = rng.choice(WEEKDAYS[lang])
	if lang == "zh":
		return rng.choice(
			[
				[
					f"在 2024年{rng.randint(1, 12)}月{day}日 {weekday} {hour}:{minute:02d}，{agent} <{address}> 写道："
				],
				[
					"------------------ 原始邮件 ------------------",
					f'发件人: "{agent}" <{address}>',
					f"发送时间: 2024年{rng.randint(1, 12)}月{day}日({weekday}) {hour}:{minute:02d}",
					"收件人: <customer@example.net>",
					"主题: 回复：咨询",
				],
				[
					f"发件人：{agent}",
					f"发送时间：2024-{rng.randint(1, 12):02d}-{day:02d} {hour}:{minute:02d}",
					"收件人：客户",
					"主题：您的请求已受理",
				],
			]
		)
	month = rng.choice(MONTHS)
	return rng.choice(
		[
			[f"On {weekday}, {month} {day}, 2024 at {hour}:{minute:02d} {agent} <{address}> wrote:"],
			[
				"-----Original Message-----",
				f"From: {agent} <{address}>",
				f"Sent: {weekday} {day} {month} 2024 {hour}:{minute:02d}",
				"To: customer@example.net",
				"Subject: RE: Your request",
			],
			[
				"________________________________",
				f"From: {agent} <{address}>",
				f"Sent: {weekday}, {month} {day}, 2024 {hour}:{minute:02d} PM",
				"To: Customer",
				"Subject: Your request has been received",
			],
		]
	)


def _text_chars(lines: list[str]) -> int:
	"""Characters of text, not counting ">" marks and blank lines (what HTML shows of it)."""
	return sum(len(x.lstrip("> ")) + 1 for x in lines if x.strip("> "))


def _quoted_mail(rng: random.Random, lang: str, target_chars: int) -> list[str]:
	"""Earlier mail below the new message; several nested replies when target_chars is large."""
	lines: list[str] = []
	depth = 0  # ">" marks of the mail being added
	while not lines or _text_chars(lines) < target_chars:
		header = _quote_header(rng, lang)
		body = rng.choice(EARLIER_MAIL[lang]).format(n5=_digits(rng, 5))
		greeting = rng.choice(GREETINGS[lang]).format(name="Alex" if lang == "en" else "王")
		sign = _signature(rng, lang) if rng.random() < 0.6 else [rng.choice(SIGN_OFFS[lang]).split("\n")[0]]
		block = [*header, "", greeting, "", body, "", *sign]
		depth = min(3, depth + (header[0].endswith(("wrote:", "写道：")) or depth > 0))
		lines += ["", *(f"{'>' * depth} {x}".rstrip() if depth else x for x in block)]
	return lines


def _subject(rng: random.Random, text: str, lang: str) -> str:
	roll = rng.random()
	if roll < 0.5:
		return ""
	if roll < 0.75:
		return rng.choice(GENERIC_SUBJECTS[lang])
	for comma in (",", "，"):
		if comma in text[1:]:
			return text.split(comma, 1)[0].strip()
	if lang == "zh":
		return text[: rng.randint(6, 10)].rstrip("？?。")
	return " ".join(text.split()[: rng.randint(4, 7)]).rstrip("?")


def _as_html(paragraphs: list[list[str]], quoted: list[str]) -> str:
	def block(lines: list[str]) -> str:
		return "<br>".join(html.escape(x) for x in lines)

	out = "".join(f"<p>{block(p)}</p>" for p in paragraphs)
	if quoted:
		plain = [x.lstrip("> ") for x in quoted if x.strip()]
		out += f'<div class="gmail_quote"><div>{html.escape(plain[0])}</div><blockquote>{block(plain[1:])}</blockquote></div>'
	return f'<div dir="ltr">{out}</div>'


def make_ticket(query: dict) -> Ticket:
	"""The noisy ticket for one labelled query {id, text, lang}."""
	rng = random.Random(f"ticket:{query['id']}")
	lang = "zh" if query.get("lang") == "zh" else "en"
	text = query["text"].strip()
	agent = rng.choice(NAMES[lang])[0]  # a first name (en) or family name (zh) to greet
	paragraphs: list[list[str]] = []
	if rng.random() < 0.85:
		paragraphs.append([rng.choice(GREETINGS[lang]).format(name=agent)])
	body = [text]
	if rng.random() < 0.8:
		body.insert(rng.randint(0, 1), rng.choice(UNRELATED[lang]))
	if rng.random() < 0.7:
		body.insert(rng.randint(0, len(body)), rng.choice(REFERENCES[lang]).format(id=_reference_id(rng)))
	if rng.random() < 0.5:
		paragraphs.append(body)
	else:  # one paragraph, as typed: a separator only where a piece has no full stop of its own
		separators = ["，", "。", " "] if lang == "zh" else [". ", ", ", " - "]
		joined = body[0]
		for piece in body[1:]:
			ends = joined.endswith(("。", "？", "！", "?", "!", "."))
			joined += ("" if lang == "zh" else " ") if ends else rng.choice(separators)
			joined += piece
		paragraphs.append([joined.strip()])
	if rng.random() < 0.6:
		paragraphs.append([rng.choice(CLOSINGS[lang])])
	if rng.random() < 0.85:
		paragraphs.append(_signature(rng, lang))
	if rng.random() < 0.15:
		paragraphs.append([rng.choice(DISCLAIMERS[lang])])
	own = "\n\n".join("\n".join(p) for p in paragraphs)
	roll = rng.random()
	is_long = roll < 0.25
	quoted = _quoted_mail(rng, lang, LONG_TICKET_CHARS - _text_chars(own.split("\n"))) if is_long else []
	if not quoted and roll < 0.55:
		quoted = _quoted_mail(rng, lang, 0)
	is_html = rng.random() < 0.2
	body_text = _as_html(paragraphs, quoted) if is_html else "\n".join([own, *quoted])
	return Ticket(_subject(rng, text, lang), body_text, is_html, bool(quoted), is_long)

import time

import pytest

from km_crm.knowledge.redact import (
	ADDRESS,
	DOCUMENT_NUMBER,
	EMAIL,
	ID_NUMBER,
	MSG_PATTERN_INVALID,
	MSG_PATTERN_MATCHES_EMPTY,
	NAME,
	PAYMENT_CARD,
	PHONE,
	PLACEHOLDERS,
	Replacement,
	redact,
	validate_pattern,
)

EN_TICKET = """Subject: Sales Invoice print fails for SAL-ORD-2024-00012
Hi, this is Jane O'Connor from Northwind Traders (jane.oconnor@northwind.example, +1 (555) 123-4567).
Since upgrading to v15.2.1 on 2024-01-05 at 10:30, printing ACC-SINV-2024-00001 fails with HTTP 500 and ERR-4021.
Our order #12345 (invoice number 2024-0042, amount $1,200.00) ships to Suite 400, 55 King St W, Toronto, ON M5V 2T6.
Paid with card 4111 1111 1111 1111. Item ITEM-00012 at 15% discount; server 192.168.1.10 port 8080.
Resolution: Dear Ms. O’Connor, we cleared the print format cache in 15.0.0. Call us on 555.123.4567 if it recurs.
"""
EN_KNOWN = {
	"names": ["Jane O'Connor", "Jane", "O'Connor", "Northwind Traders"],
	"numbers": ["SAL-ORD-2024-00012", "ACC-SINV-2024-00001"],
}
EN_PERSONAL = [
	"Jane",
	"O'Connor",
	"O’Connor",
	"Northwind",
	"jane.oconnor@northwind.example",
	"(555) 123-4567",
	"SAL-ORD-2024-00012",
	"ACC-SINV-2024-00001",
	"12345",
	"2024-0042",
	"55 King St",
	"M5V 2T6",
	"Suite 400",
	"4111 1111 1111 1111",
	"555.123.4567",
]
EN_TECHNICAL = [
	"v15.2.1",
	"15.0.0",
	"2024-01-05",
	"10:30",
	"HTTP 500",
	"ERR-4021",
	"$1,200.00",
	"ITEM-00012",
	"15%",
	"192.168.1.10",
	"port 8080",
]

ZH_TICKET = """主题：销售发票打印失败，订单号：202401050001
您好，我是上海星辰贸易有限公司的王小明，手机 138 1234 5678，座机 (021) 1234 5678，邮箱 wangxm@xingchen.example.cn。
2024年1月5日 14:30 升级到 v15.2.1 后，打印发票号码 12345678 时报错 HTTP 500（错误码 ERR-4021）。
收货地址：上海市浦东新区张江镇碧波路690号3号楼1203室，运单号 SF1234567890，身份证号 11010519491231002X。
物料 ITEM-00012，金额 ¥300，折扣 15%，端口 8080。
解决方法：王先生，请清除打印格式缓存后重试；如仍有问题请致电 010-12345678 或 13912345678。
"""
ZH_KNOWN = {"names": ["王小明", "小明", "王", "上海星辰贸易有限公司"]}
ZH_PERSONAL = [
	"202401050001",
	"星辰贸易",
	"王小明",
	"王先生",
	"138 1234 5678",
	"(021) 1234 5678",
	"wangxm@xingchen.example.cn",
	"12345678",
	"碧波路690号",
	"1203室",
	"SF1234567890",
	"11010519491231002X",
	"010-12345678",
	"13912345678",
]
ZH_TECHNICAL = [
	"2024年1月5日",
	"14:30",
	"v15.2.1",
	"HTTP 500",
	"ERR-4021",
	"ITEM-00012",
	"¥300",
	"15%",
	"8080",
]


@pytest.mark.parametrize(
	"ticket, known, personal, technical",
	[(EN_TICKET, EN_KNOWN, EN_PERSONAL, EN_TECHNICAL), (ZH_TICKET, ZH_KNOWN, ZH_PERSONAL, ZH_TECHNICAL)],
	ids=["english", "chinese"],
)
def test_ticket_loses_its_personal_data_and_keeps_its_technical_content(ticket, known, personal, technical):
	for datum in personal + technical:
		assert datum in ticket  # the seed is really there
	result = redact(ticket, **known)
	assert [d for d in personal if d in result.text] == []
	assert [t for t in technical if t not in result.text] == []
	originals = " ".join(r.original for r in result.replacements)
	assert [d for d in personal if d not in originals] == []


def test_counts_by_kind():
	result = redact(EN_TICKET, **EN_KNOWN)
	assert result.counts() == {
		DOCUMENT_NUMBER: 4,
		NAME: 3,  # Jane O'Connor, Northwind Traders, O’Connor
		EMAIL: 1,
		PHONE: 2,
		ADDRESS: 1,
		PAYMENT_CARD: 1,
	}
	assert sum(result.counts().values()) == len(result.replacements)


def test_chinese_counts_by_kind():
	counts = redact(ZH_TICKET, **ZH_KNOWN).counts()
	assert counts == {DOCUMENT_NUMBER: 3, NAME: 3, PHONE: 4, EMAIL: 1, ADDRESS: 1, ID_NUMBER: 1}


@pytest.mark.parametrize(
	"text, datum, kind",
	[
		("mail wang.wei+km@mail.example.com.cn today", "wang.wei+km@mail.example.com.cn", EMAIL),
		("电话：+86 138 1234 5678。", "+86 138 1234 5678", PHONE),
		("手机13812345678联系", "13812345678", PHONE),
		("mobile 139-1234-5678", "139-1234-5678", PHONE),
		("landline 010-12345678", "010-12345678", PHONE),
		("深圳 0755-8765 4321", "0755-8765 4321", PHONE),
		("Tel (021) 1234 5678.", "(021) 1234 5678", PHONE),
		("US (555) 123-4567", "(555) 123-4567", PHONE),
		("toll free 1-800-555-1234", "1-800-555-1234", PHONE),
		("London +44 20 7946 0958", "+44 20 7946 0958", PHONE),
		("UK 020 7946 0958", "020 7946 0958", PHONE),
		("call +1 555 123 4567 now", "+1 555 123 4567", PHONE),
		("拨打 0086 138 1234 5678", "0086 138 1234 5678", PHONE),
		("order SO-00012 and", "SO-00012", DOCUMENT_NUMBER),
		("see SINV-00012.", "SINV-00012", DOCUMENT_NUMBER),
		("PO PUR-ORD-2024-00007 late", "PUR-ORD-2024-00007", DOCUMENT_NUMBER),
		("bill ACC-PINV-2024-00003", "ACC-PINV-2024-00003", DOCUMENT_NUMBER),
		("note MAT-DN-2024-00044-1", "MAT-DN-2024-00044-1", DOCUMENT_NUMBER),
		("quote QTN-00077", "QTN-00077", DOCUMENT_NUMBER),
		("return ACC-SINV-RET-2024-00002", "ACC-SINV-RET-2024-00002", DOCUMENT_NUMBER),
		("your order #12345 shipped", "12345", DOCUMENT_NUMBER),
		("order no. A-1234.", "A-1234", DOCUMENT_NUMBER),
		("Invoice Number: 2024-0042", "2024-0042", DOCUMENT_NUMBER),
		("the order number is 88123", "88123", DOCUMENT_NUMBER),
		("PO 4500012345 received", "4500012345", DOCUMENT_NUMBER),
		("tracking number 1Z999AA10123456784", "1Z999AA10123456784", DOCUMENT_NUMBER),
		("订单号：202401050001", "202401050001", DOCUMENT_NUMBER),
		("发票号码 12345678", "12345678", DOCUMENT_NUMBER),
		("快递单号SF1234567890已签收", "SF1234567890", DOCUMENT_NUMBER),
		("合同编号 HT-2024-018", "HT-2024-018", DOCUMENT_NUMBER),
		("身份证 11010519491231002X 已核验", "11010519491231002X", ID_NUMBER),
		("ID 440524188001010014.", "440524188001010014", ID_NUMBER),
		("card 4111 1111 1111 1111 expired", "4111 1111 1111 1111", PAYMENT_CARD),
		("Amex 3782 822463 10005", "3782 822463 10005", PAYMENT_CARD),
		("卡号 6212 2611 0200 1234 569", "6212 2611 0200 1234 569", PAYMENT_CARD),
		("MC 5555-5555-5555-4444", "5555-5555-5555-4444", PAYMENT_CARD),
		("ship to 12 Main Street today", "12 Main Street", ADDRESS),
		(
			"at 1600 Amphitheatre Parkway, Mountain View, CA 94043.",
			"1600 Amphitheatre Parkway, Mountain View, CA 94043",
			ADDRESS,
		),
		("at 10 Downing Street, London SW1A 2AA.", "10 Downing Street, London SW1A 2AA", ADDRESS),
		("at 1 Hacker Way, Menlo Park, CA 94025", "1 Hacker Way, Menlo Park, CA 94025", ADDRESS),
		("12 Main Street, Apt 4B", "12 Main Street, Apt 4B", ADDRESS),
		(
			"地址：北京市朝阳区建国路88号SOHO现代城5号楼1203室。",
			"北京市朝阳区建国路88号SOHO现代城5号楼1203室",
			ADDRESS,
		),
		(
			"寄到广东省深圳市南山区科技园南路18号，邮编518057。",
			"广东省深圳市南山区科技园南路18号，邮编518057",
			ADDRESS,
		),
		("客户住在阳光花园3栋2单元501室", "阳光花园3栋2单元501室", ADDRESS),
		("地址：建国路88号", "建国路88号", ADDRESS),
	],
)
def test_detects_on_its_own(text, datum, kind):
	result = redact(text)
	assert [(r.kind, r.original) for r in result.replacements] == [(kind, datum)]
	assert result.text == text.replace(datum, PLACEHOLDERS[kind])


@pytest.mark.parametrize(
	"text",
	[
		"Upgrade from v15.2.1 to 15.0.0 (build 2024.01.05, Frappe 15.10.3).",
		"Released 2024-01-05, 2024/1/5, 05.01.2024 and 2024年1月5日 at 10:30:15 or 14:30 - 15:45.",
		"Totals: $1,200.00, ¥300, ￥13,800, €99.90, 1 200 000.00 EUR, RMB 13800.50, 金额￥1,200.00.",
		"Uptime 99.9%, 15% off, load 3.5%, 100%.",
		"HTTP 500, ERR-4021, E1001, error 0x80070005, exit code 137, errno 13, 错误码 ERR-4021.",
		"Server 192.168.1.10:8080, 10.0.0.1, port 443, 127.0.0.1:8000.",
		"Items ITEM-00012, SKU-1234, barcode 6901234567892, EAN 4006381333931, item 1234567890123456.",
		"uuid 123e4567-e89b-12d3-a456-426614174000, epoch 1704412800000, commit 3f2a9c1, issue #5678.",
		"Resolution 1920x1080, 1024 x 768, 16 GB, 500 MB, between 100-200-300 ms, 1000-2000-3000.",
		"Numbers 1234 5678, 2024 0105, 100 200 3000, 0.123.4567, 12-34-56-78-90.",
		"Step 2: Open Google Drive. 2 Open Google Drive, Step 3 Click Start, a 4 Way Handshake.",
		"The order 2024 report, an invoice 100 template, sort order 3, order of 10000 items.",
		"第3号补丁，网络线路2号故障，路由器1号，发票金额 12345，订单数 300。",
		"Luhn fails: 4111 1111 1111 1112; checksum fails: 11010519491231002Y 110105194912310021.",
	],
)
def test_technical_content_stays(text):
	result = redact(text)
	assert result.replacements == []
	assert result.text == text


def test_names_match_case_insensitively_on_word_boundaries_longest_first():
	result = redact(
		"WANG WEI wrote; wang  wei replied; Wei checked Weibo and Wangfujing.", names=["Wang Wei", "Wei"]
	)
	assert result.text == "[name] wrote; [name] replied; [name] checked Weibo and Wangfujing."
	assert [r.original for r in result.replacements] == ["WANG WEI", "wang  wei", "Wei"]


def test_chinese_names_match_as_substrings_and_forms_of_address():
	result = redact(
		"王小明说欧阳经理和王先生都在，李女士不在。小明已确认。", names=["王小明", "小明", "欧阳娜娜"]
	)
	assert result.text == "[name]说[name]和[name]都在，李女士不在。[name]已确认。"
	assert [r.original for r in result.replacements] == ["王小明", "欧阳经理", "王先生", "小明"]


def test_names_shorter_than_two_characters_are_ignored():
	assert redact("A and B went to 王府井", names=["A", "B", "王", " ", ""]).replacements == []


def test_known_addresses_and_numbers():
	result = redact(
		"Deliver to Harbour View, Unit 7 Kowloon; ref CUST-ORD-0077; not cust-ord-00777.",
		addresses=["Harbour View, Unit 7", "Kowloon", "12"],
		numbers=["CUST-ORD-0077", "SO"],
	)
	assert result.text == "Deliver to [address] [address]; ref [order/invoice no.]; not cust-ord-00777."


def test_custom_patterns_use_their_label():
	result = redact(
		"WeChat: wx_zhang2024, employee EMP-004211, again wx_zhang2024.",
		patterns=[("WeChat ID", r"wx_[a-z0-9]+"), ("employee", r"EMP-\d{6}")],
	)
	assert result.text == "WeChat: [WeChat ID], employee [employee], again [WeChat ID]."
	assert result.counts() == {"WeChat ID": 2, "employee": 1}
	assert result.rejected == []


def test_invalid_custom_pattern_is_reported_and_the_rest_still_runs():
	result = redact(
		"Mail a@b.example, member M-1234",
		patterns=[("broken", r"M-(\d+"), ("empty", r"x*"), ("member", r"M-\d{4}")],
	)
	assert result.text == "Mail [email], member [member]"
	assert [(p.label, p.pattern, p.message) for p in result.rejected] == [
		("broken", r"M-(\d+", MSG_PATTERN_INVALID),
		("empty", "x*", MSG_PATTERN_MATCHES_EMPTY),
	]
	assert "missing )" in result.rejected[0].error


def test_validate_pattern_returns_a_template_not_a_formatted_message():
	assert validate_pattern(r"EMP-\d{6}") is None
	problem = validate_pattern("[a-", "badge")
	assert problem.label == "badge"
	assert problem.message == MSG_PATTERN_INVALID
	assert "{error}" in problem.message and problem.error
	assert problem.message.format(error=problem.error).endswith(problem.error)
	assert validate_pattern("^").message == MSG_PATTERN_MATCHES_EMPTY


def test_placeholders_can_be_replaced():
	result = redact(
		"王先生 wang@example.com 13812345678 badge B-77",
		names=["王伟"],
		patterns=[("badge", r"B-\d+")],
		placeholders={NAME: "[姓名]", EMAIL: "[邮箱]", "badge": "[工牌]"},
	)
	assert result.text == "[姓名] [邮箱] [phone] badge [工牌]"
	assert result.replacements[0] == Replacement(NAME, "王先生", "[姓名]")


def test_an_email_containing_a_name_is_one_email():
	result = redact("Write to wang.wei@example.com or Wang Wei.", names=["Wang Wei", "Wang", "Wei"])
	assert result.text == "Write to [email] or [name]."
	assert [(r.kind, r.original) for r in result.replacements] == [
		(EMAIL, "wang.wei@example.com"),
		(NAME, "Wang Wei"),
	]


def test_overlapping_detections_are_replaced_together_under_the_longest():
	# The name starts inside the address and ends after it: nothing of either may remain.
	result = redact("Visit 12 Main Street Smith today", names=["Street Smith"])
	assert result.text == "Visit [address] today"
	assert result.replacements == [Replacement(ADDRESS, "12 Main Street Smith", "[address]")]


def test_a_custom_pattern_wins_a_tie_with_a_built_in_kind():
	result = redact("ref SO-00012", patterns=[("sales order", r"SO-\d+")])
	assert result.replacements == [Replacement("sales order", "SO-00012", "[sales order]")]


def test_replacements_are_in_text_order_and_repeat():
	result = redact("a@x.example 13812345678 a@x.example", names=["Nobody"])
	assert [(r.kind, r.original) for r in result.replacements] == [
		(EMAIL, "a@x.example"),
		(PHONE, "13812345678"),
		(EMAIL, "a@x.example"),
	]


@pytest.mark.parametrize("text", [None, ""])
def test_empty_input(text):
	result = redact(text, names=["Wang Wei"], patterns=[("broken", "(")])
	assert result.text == ""
	assert result.replacements == []
	assert result.counts() == {}
	assert [p.label for p in result.rejected] == ["broken"]


def test_html_markup_stays_intact():
	html = '<p>Mail <a href="mailto:a@b.example">a@b.example</a> or call <b>13812345678</b></p>'
	assert redact(html).text == '<p>Mail <a href="mailto:[email]">[email]</a> or call <b>[phone]</b></p>'


# --- Bounded time -------------------------------------------------------------------------------------
# Inputs that make careless expressions backtrack quadratically or worse. Each is 100 KB; the linear
# implementation needs well under a second, a backtracking one minutes: the limit is generous on purpose.
SIZE = 100_000
TIME_LIMIT = 10.0
PATHOLOGICAL = {
	"letters": "a" * SIZE,
	"local parts": "a@" * (SIZE // 2),
	"domain labels": "@" + "a." * (SIZE // 2),
	"digits": "1" * SIZE,
	"spaced digits": "1 " * (SIZE // 2),
	"dotted digits": "1." * (SIZE // 2),
	"dashed digits": "1-" * (SIZE // 2),
	"plus groups": "+1 " * (SIZE // 3),
	"parenthesised": "(1) " * (SIZE // 4),
	"order words": "order " * (SIZE // 6),
	"order and spaces": "order" + " " * SIZE,
	"订单号": "订单号：" * (SIZE // 4),
	"place suffixes": "省市区镇" * (SIZE // 4),
	"road without number": "路" * SIZE,
	"city district road": ("市区" * 14 + "路1号") * (SIZE // 31),
	"street words": "12 Main " * (SIZE // 8),
	"capitals": "1 A " * (SIZE // 4),
	"units": "Suite 1, " * (SIZE // 9),
	"series prefixes": "SAL-ORD-2024-" * (SIZE // 13),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_no_catastrophic_backtracking(name):
	text = PATHOLOGICAL[name]
	started = time.perf_counter()
	redact(text, names=["Wang Wei", "王伟"], addresses=["12 Main Street"], numbers=["SO-00012"])
	assert time.perf_counter() - started < TIME_LIMIT


def test_a_long_realistic_ticket_is_redacted_completely_in_bounded_time():
	repeats = SIZE // len(ZH_TICKET) + 1
	started = time.perf_counter()
	result = redact(ZH_TICKET * repeats, **ZH_KNOWN)
	assert time.perf_counter() - started < TIME_LIMIT
	single = redact(ZH_TICKET, **ZH_KNOWN)
	assert len(result.replacements) == repeats * len(single.replacements)

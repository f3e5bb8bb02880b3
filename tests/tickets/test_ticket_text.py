import time

import pytest

from km_crm.search.analysis import MAX_QUERY_CHARS, MAX_QUERY_TERMS, analyze_query
from km_crm.tickets.ticket_text import MAX_INPUT_CHARS, strip_noise, suggestion_query

GMAIL_REPLY = """Hi team,

Does my homeowners policy cover water damage from a burst pipe?

Thanks,
Maria

On Tue, Mar 5, 2024 at 9:14 AM Support Desk <help@insurer.example> wrote:
> Hello Maria, your earlier question about roadside assistance has been answered.
> Kind regards"""

OUTLOOK_REPLY = """Can I add my daughter to my car insurance?

-----Original Message-----
From: Claims <claims@insurer.example>
Sent: Monday, March 4, 2024 10:00 AM
To: Peter
Subject: RE: windshield

We have scheduled the windshield repair for Friday."""

OUTLOOK_HEADERS_ONLY = """Is dental cleaning covered twice a year?

________________________________
From: Benefits Team
Sent: Friday, 1 March 2024 16:20
To: Ana
Subject: Enrollment

Open enrollment for vision plans closes next week."""

CHINESE_REPLY = """您好，

请问重疾险的等待期是多久？

谢谢！
李明
财务经理 | 某某贸易有限公司
电话：021-6888 1234
邮箱：liming@trade.example.cn

发件人：客服中心
发送时间：2024年3月5日 10:00
收件人：李明
主题：回复：车险续保

您的车险续保已办理完成，电子保单将发送到您的邮箱。"""

CHINESE_WROTE = """怎么修改保单的受益人？

在 2024年3月5日 星期二 上午10:00，客服中心 <service@insurer.example.cn> 写道：
> 您的退保申请已受理，退款将在七个工作日内到账。"""


def test_empty_and_none_give_empty_text():
	assert strip_noise(None) == ""
	assert strip_noise("") == ""
	assert strip_noise("   \n\n ") == ""
	assert suggestion_query(None) == ""
	assert suggestion_query("", "", "") == ""


@pytest.mark.parametrize(
	"message, kept, dropped",
	[
		(GMAIL_REPLY, "burst pipe", "roadside"),
		(OUTLOOK_REPLY, "add my daughter", "windshield"),
		(OUTLOOK_HEADERS_ONLY, "dental cleaning", "vision"),
		(CHINESE_REPLY, "等待期", "续保"),
		(CHINESE_WROTE, "受益人", "退保"),
	],
)
def test_quoted_earlier_mail_is_dropped_and_the_question_kept(message, kept, dropped):
	text = strip_noise(message)
	assert kept in text
	assert dropped not in text
	assert "wrote" not in text and "写道" not in text


def test_lines_quoted_with_angle_brackets_are_dropped():
	text = strip_noise("Why was my claim denied?\n> Your claim for the stolen bicycle\n>> was reviewed")
	assert text == "Why was my claim denied?"


def test_a_bare_forward_keeps_the_forwarded_text():
	message = """---------- Forwarded message ---------
From: Jane Doe <jane@example.com>
Date: Mon, Jan 1, 2024
Subject: claim
To: support@example.com

My claim was denied after knee surgery, what can I do?"""
	assert strip_noise(message) == "My claim was denied after knee surgery, what can I do?"


def test_signature_and_sign_off_are_dropped():
	message = """How do I cancel my travel insurance?

Best regards,
Jonathan Pierce
Senior Purchasing Manager
Oakridge Supplies Ltd.
Tel: +44 20 7946 0958
jonathan.pierce@oakridge.example
www.oakridge.example"""
	text = strip_noise(message)
	assert text == "How do I cancel my travel insurance?"


def test_signature_after_a_dash_dash_line_is_dropped():
	text = strip_noise("Is flood damage covered?\n--\nRobin Fox\nAccounts Lead, Fox & Sons")
	assert text == "Is flood damage covered?"


def test_contact_block_without_sign_off_is_dropped_but_a_short_last_sentence_is_kept():
	message = "Hello,\nMy car was hit by a fallen tree\nDoes my policy cover it\nSam Lee\n555-201-3344"
	assert strip_noise(message).splitlines() == ["My car was hit by a fallen tree", "Does my policy cover it"]


def test_greetings_and_courtesy_are_dropped():
	english = "Dear Ms Li,\nI hope you are doing well. How do I reset my password? Thanks in advance!"
	assert strip_noise(english) == "How do I reset my password?"
	assert strip_noise("Hi, how do I reset my password?") == "how do I reset my password?"
	chinese = "王经理您好！\n请问怎么重置密码？\n期待您的回复。"
	assert strip_noise(chinese) == "请问怎么重置密码？"


def test_identifiers_contacts_and_links_are_dropped():
	message = (
		"My policy number is PN-20394857. Invoice INV-0042 was charged twice, "
		"see https://portal.example.com/bills or call 415-555-0199. "
		"You can reach me at kim@example.org. Why was I charged twice?"
	)
	text = strip_noise(message)
	for noise in ("PN-20394857", "INV-0042", "portal.example", "555", "kim@", "policy number"):
		assert noise not in text
	assert "charged twice" in text
	assert text.endswith("Why was I charged twice?")


def test_chinese_identifiers_are_dropped():
	text = strip_noise("我的订单号是20240512001。请问发票什么时候开？客户编号：KH-88213")
	assert text == "请问发票什么时候开？"


def test_amounts_and_years_are_not_identifiers():
	text = strip_noise("Is a $500,000 policy enough for a 30000 loan in 2024 at 0.05% a day?")
	for amount in ("$500,000", "30000", "2024", "0.05%"):
		assert amount in text


def test_disclaimers_are_dropped():
	message = (
		"Does the plan cover physiotherapy?\n\n"
		"This e-mail and any attachments are confidential and intended solely for the addressee.\n"
		"免责声明：本邮件仅供收件人使用。"
	)
	assert strip_noise(message) == "Does the plan cover physiotherapy?"


def test_html_is_read_as_text():
	message = (
		'<div dir="ltr"><p>Hello,</p><p>Does Medicare pay for a CT&nbsp;scan?</p>'
		"<p>Kind regards,<br>Mary Jones<br>Phone: 020 7946 0000</p>"
		'<script>alert("x")</script>'
		'<div class="gmail_quote">On Tue, 2 Jan 2024, Bob &lt;bob@example.com&gt; wrote:'
		"<blockquote>Your auto policy renews soon.</blockquote></div></div>"
	)
	assert strip_noise(message) == "Does Medicare pay for a CT scan?"


def test_plain_text_with_angle_brackets_is_not_taken_for_html():
	text = strip_noise("Why is my premium < last year?\nJoe <joe@example.com> wrote:\n> old")
	assert text == "Why is my premium < last year?"


def test_suggestion_query_puts_the_question_first_and_leaves_out_noise():
	query = suggestion_query(
		"Re: Question about water damage",
		description=GMAIL_REPLY,
		last_message=None,
	)
	assert "burst pipe" in query
	assert "roadside" not in query and "Maria" not in query and "Thanks" not in query


def test_suggestion_query_leaves_out_a_subject_already_in_the_message():
	query = suggestion_query(
		"Tree fell on my car", "Hi,\nA tree fell on my car last night and dented the roof."
	)
	assert query.lower().count("tree fell on my car") == 1
	assert "dented the roof" in query


def test_suggestion_query_reads_the_latest_message_before_the_description():
	query = suggestion_query(
		"", description="My premium went up this year.", last_message="The direct debit failed again today."
	)
	assert query.index("direct debit") < query.index("premium")


def test_a_question_that_stands_alone_is_the_query():
	message = "I have been with you for ten years. Does my policy cover hail damage to the roof?"
	assert suggestion_query("", message) == "Does my policy cover hail damage to the roof?"


def test_a_vague_question_keeps_the_sentences_it_leans_on():
	message = "My claim for the stolen bike was denied. What can I do?"
	assert "stolen bike" in suggestion_query("", message)
	assert "Stolen bike" in suggestion_query("Stolen bike claim denied", "Hello,\nWhat can I do now?")


def test_a_generic_ask_keeps_the_subject_and_the_details():
	# "请问怎么处理？" names nothing: the subject and the sentence saying what went wrong are searched
	description = "我们把销售发票的税务模板换成了13%，但是发票上的税额还是按原来的税率计算的。请问怎么处理？"
	query = suggestion_query("发票税额不对", description)
	assert "发票税额不对" in query and "税务模板" in query
	query = suggestion_query(
		"Invoice tax wrong", "The invoice still uses the old tax rate. How do I fix this problem?"
	)
	assert "old tax rate" in query


def test_suggestion_query_for_chinese_and_mixed_text():
	assert suggestion_query("咨询", CHINESE_REPLY) == "请问重疾险的等待期是多久？"
	mixed = suggestion_query("", "您好，\n我的iPhone上怎么登录App？\nThanks")
	assert "iPhone" in mixed and "App" in mixed and "Thanks" not in mixed


def test_a_20000_character_ticket_stays_fast_and_bounded():
	history = "\n".join(f"> earlier message {i} about order A{i:07d} and other things" for i in range(400))
	details = " ".join(f"Room {i} has water stains near window {i % 7}." for i in range(300))
	body = f"Hi,\nIs my roof covered after the storm?\n{details}\n"
	message = (body + "\nOn Mon, Jan 1, 2024 at 9:00 AM Support <s@example.com> wrote:\n" + history)[:20_000]
	assert len(message) == 20_000
	started = time.perf_counter()
	text = strip_noise(message)
	query = suggestion_query(message[:300], message, message)
	elapsed = time.perf_counter() - started
	assert elapsed < 0.5
	assert len(text) <= MAX_INPUT_CHARS
	assert "earlier message" not in text
	assert 0 < len(query) <= MAX_QUERY_CHARS
	assert len(analyze_query(query)) <= MAX_QUERY_TERMS
	assert "roof" in query


@pytest.mark.parametrize(
	"text",
	[
		"a" * 20_000,
		"1" * 20_000,
		"a." * 10_000,
		"x@" * 10_000,
		"1 " * 10_000,
		"-----Original Message-----\n" * 800,
	],
)
def test_pathological_input_stays_fast(text):
	started = time.perf_counter()
	suggestion_query(text, text, text)
	assert time.perf_counter() - started < 0.5

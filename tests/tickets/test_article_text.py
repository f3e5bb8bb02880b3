"""A solved ticket's text as an article says it: no greeting, introduction, sign-off or call-back."""

import pytest

from km_crm.tickets.mail_noise import is_call_back, without_introduction
from km_crm.tickets.ticket_text import article_text, strip_noise

POS_DESCRIPTION = (
	"<p>Hello, this is Maria Lopez from Globex Trading (maria.lopez@globex.example.com, "
	"+1 415 555 0134). Closing the POS shift at 742 Evergreen Terrace fails with a payment mismatch. "
	"It started after order SAL-ORD-2026-00321 was paid partly in cash and partly by card, "
	"invoice number 2026-0042.</p>"
)
POS_RESOLUTION = (
	"<p>The cashier had recorded a card payment twice. Open the POS Opening Entry, compare the "
	"payment totals with the POS Invoices of the shift, cancel the duplicate payment entry, then submit the "
	"POS Closing Entry again. Call Maria on +1 415 555 0134 if the totals still differ.</p>"
)
AGENT_REPLY = """Hi Maria,

Thanks for your patience.

Select the new Sales Taxes and Charges Template again and save: the taxes are recalculated only when the template is picked.

If the amounts still look wrong, ring me back at 415-555-0199.

Best regards,
Sam Support
Support Team | Globex Support
"""
CUSTOMER_MAIL = """Hi team,

I forgot my password and clicked Forgot Password on the login page, but the reset email never arrives.
You can contact me at maria.lopez@globex.example.com or on +1 415 555 0134.

Thanks,
Maria Lopez
Globex Trading | +1 415 555 0134
"""
ZH_DESCRIPTION = """您好，

我是华东贸易有限公司的王芳。我们把销售发票的税务模板换成了13%，但是发票上的税额还是按原来的税率计算的。

如有问题请回电 138 1234 5678。

谢谢！
此致敬礼
王芳
"""
ZH_RESOLUTION = "王女士您好，请重新选择销售税费模板并保存，税额就会重新计算。有问题请致电 021-6888 1234。"


def test_the_pos_ticket_reads_like_an_article():
	issue = article_text(POS_DESCRIPTION)
	resolution = article_text(POS_RESOLUTION)
	assert issue.startswith("Closing the POS shift at 742 Evergreen Terrace fails with a payment mismatch.")
	assert "Hello" not in issue and "this is" not in issue and "Maria" not in issue
	# identifiers stay for redaction to mask, which keeps the technical story whole
	assert "SAL-ORD-2026-00321" in issue
	assert resolution.endswith("then submit the POS Closing Entry again.")
	assert "Call" not in resolution and "415" not in resolution and "differ" not in resolution


def test_an_agent_reply_loses_greeting_courtesy_call_back_and_signature():
	text = article_text(AGENT_REPLY)
	assert text == (
		"Select the new Sales Taxes and Charges Template again and save: the taxes are recalculated only "
		"when the template is picked."
	)


def test_a_customer_mail_keeps_only_the_problem():
	text = article_text(CUSTOMER_MAIL)
	assert text == (
		"I forgot my password and clicked Forgot Password on the login page, but the reset email never arrives."
	)


def test_paragraphs_are_separated_by_a_blank_line():
	text = article_text("<p>First the cause.</p><p>Then the fix.</p>")
	assert text == "First the cause.\n\nThen the fix."


def test_chinese_greeting_introduction_call_back_and_sign_off_go():
	issue = article_text(ZH_DESCRIPTION)
	assert issue == "我们把销售发票的税务模板换成了13%，但是发票上的税额还是按原来的税率计算的。"
	resolution = article_text(ZH_RESOLUTION)
	assert resolution == "请重新选择销售税费模板并保存，税额就会重新计算。"


@pytest.mark.parametrize(
	"sentence",
	[
		"Call Maria on +1 415 555 0134 if the totals still differ.",
		"Please ring me back at 555-123-4567.",
		"You can reach me at maria@globex.example.com.",
		"Feel free to contact us on 020 7946 0958.",
		"Please contact us.",
		"My mobile is +44 7700 900123.",
		"请回电。",
		"有问题请致电 021-6888 1234",
		"请联系我",
	],
)
def test_call_backs_are_recognised(sentence):
	assert is_call_back(sentence)
	assert article_text(f"The fix is to save again. {sentence}") in ("The fix is to save again.",)


@pytest.mark.parametrize(
	"sentence",
	[
		"Contact your system administrator if the error persists.",
		"The phone's clock was off by two minutes.",
		"Email the invoice to the customer again.",
		"Call the Sales Invoice list and filter by status.",
		"请联系系统管理员开启负库存。",
		"电话号码字段为空时无法保存联系人。",
	],
)
def test_general_instructions_are_not_call_backs(sentence):
	assert not is_call_back(sentence)
	assert article_text(sentence) == sentence


def test_a_call_back_to_a_known_name_goes_without_a_number():
	assert article_text(
		"Save again. Call Maria if the totals still differ.", names=["Maria Lopez", "Maria"]
	) == ("Save again.")
	assert "Call Maria" in article_text("Save again. Call Maria if the totals still differ.")


@pytest.mark.parametrize(
	"sentence, names, left",
	[
		("This is Maria from Globex Trading.", (), ""),
		("My name is Ana.", (), ""),
		("I'm Maria Lopez, our POS closing fails.", ("Maria Lopez",), "Our POS closing fails."),
		("我是华东贸易的王芳。", (), ""),
		("我叫王芳，发票税额不对。", (), "发票税额不对。"),
		("This is Chrome 120 on Windows.", (), "This is Chrome 120 on Windows."),
		("This is Chrome.", (), "This is Chrome."),
		("I am Unable to log in.", (), "I am Unable to log in."),
		("我是管理员，无法登录。", (), "我是管理员，无法登录。"),
	],
)
def test_the_writer_introducing_themselves_goes(sentence, names, left):
	assert without_introduction(sentence, names) == left


def test_the_suggestion_query_is_not_led_by_the_introduction_or_the_call_back():
	assert strip_noise(POS_DESCRIPTION).startswith("Closing the POS shift")
	assert "Call" not in strip_noise(POS_RESOLUTION)


def test_empty_text():
	assert article_text(None) == ""
	assert article_text("<p>Hi team,</p><p>Thanks, Maria</p>") == ""


def test_known_names_are_recognised_in_an_introduction_whatever_their_case():
	text = "Hello, this is Maria Lopez from acme trading (maria@acme.example). The POS fails."
	assert article_text(text, names=["Maria Lopez", "acme trading"]) == "The POS fails."

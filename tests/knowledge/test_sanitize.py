import re

import pytest

from km_crm.knowledge.sanitize import html_to_text, sanitize_html

XSS_CORPUS = [
	"<script>alert(1)</script>",
	"<SCRIPT SRC=http://evil.example/xss.js></SCRIPT>",
	"<ScRiPt>alert(1)</sCrIpT>",
	"<img src=x onerror=alert(1)>",
	"<IMG SRC=x ONERROR=alert(1)>",
	'<img src="javascript:alert(1)">',
	"<img src=`javascript:alert(1)`>",
	'<img src="x" onerror="alert(1)"/>',
	"<svg onload=alert(1)>",
	"<svg><script>alert(1)</script></svg>",
	'<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
	'<a href="javascript:alert(1)">x</a>',
	'<a href="JAVASCRIPT:alert(1)">x</a>',
	'<a href="jav&#x09;ascript:alert(1)">x</a>',
	'<a href="jav&#x0A;ascript:alert(1)">x</a>',
	'<a href="jav\tascript:alert(1)">x</a>',
	'<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
	'<a href="&#x6A;avascript:alert(1)">x</a>',
	'<a href="  javascript:alert(1)">x</a>',
	'<a href="vbscript:msgbox(1)">x</a>',
	'<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
	'<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
	'<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
	'<iframe src="javascript:alert(1)"></iframe>',
	'<iframe srcdoc="<script>alert(1)</script>"></iframe>',
	"<style>body{background:url(javascript:alert(1))}</style>",
	'<p style="background:url(javascript:alert(1))">x</p>',
	'<div style="behavior: url(xss.htc)">x</div>',
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	'<math href="javascript:alert(1)">x</math>',
	'<object data="javascript:alert(1)"></object>',
	'<embed src="javascript:alert(1)">',
	'<body onload="alert(1)">',
	'<input onfocus="alert(1)" autofocus>',
	'<form action="javascript:alert(1)"><button>x</button></form>',
	'<details open ontoggle="alert(1)">',
	'<video><source onerror="alert(1)"></video>',
	'<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
	'<base href="javascript:alert(1)//">',
	'<link rel="stylesheet" href="javascript:alert(1)">',
	"<<script>alert(1)//<</script>",
	"<scr<script>ipt>alert(1)</scr</script>ipt>",
	"<img src=x onerror=alert(1)//",
	'<a href="#" onclick="alert(1)">x</a>',
	'<p onmouseover="alert(1)">x</p>',
	'<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
	"<!--<img src=x onerror=alert(1)>-->",
	'<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
	'<div><a href="java\x00script:alert(1)">x</a></div>',
	"<template><script>alert(1)</script></template>",
	# OWASP XSS filter evasion cheat sheet, with text around each vector
	"Before <IMG SRC=JaVaScRiPt:alert('XSS')> after",
	"Before <IMG SRC=javascript:alert(String.fromCharCode(88,83,83))> after",
	"Before <IMG SRC=\"jav&#x0D;ascript:alert('XSS');\"> after",
	r'Before <IMG """><SCRIPT>alert("XSS")</SCRIPT>"\> after',
	"Before <IMG SRC=# onmouseover=\"alert('xxs')\"> after",
	'Before <IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img> after',
	'Before <SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT> after',
	'Before <BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")> after',
	'Before <<SCRIPT>alert("XSS");//\\<</SCRIPT> after',
	"Before <SCRIPT SRC=http://xss.rocks/xss.js?< B > after",
	"Before <IMG SRC=\"`<javascript:alert>`('XSS')\"> after",
	"Before <iframe src=http://xss.rocks/scriptlet.html < after",
	'Before <INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');"> after',
	"Before <BODY BACKGROUND=\"javascript:alert('XSS')\"> after",
	"Before <IMG DYNSRC=\"javascript:alert('XSS')\"> after",
	"Before <STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br> after",
	"Before <svg/onload=alert('XSS')> after",
	'Before <LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');"> after',
	'Before <META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K"> after',
	"Before <TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">cell</TD></TABLE> after",
	"Before <DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">div</DIV> after",
	"Before <!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]--> after",
	"Before <BASE HREF=\"javascript:alert('XSS');//\"> after",
	'Before <OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT> after',
	"Before <math><style>everything after an unclosed tag stays",
	"Before <svg><style>unclosed <p>paragraph</p> and more text",
	"Before <script>unclosed script text stays readable",
	"Before <xmp><img src=x onerror=alert(1)> after",
]

EVENT_ATTR_RE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
HIDING_TAGS = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "xmp", "title"}


def visible_characters(html_in: str) -> str:
	"""What a reader of the input could see: text outside markup, without the content of elements
	that hide it and are closed; an element left open hides nothing (the bug this guards against)."""
	from html.parser import HTMLParser

	events = []

	class Collect(HTMLParser):
		def handle_starttag(self, tag, attrs):
			events.append(("start", tag))

		def handle_endtag(self, tag):
			events.append(("end", tag))

		def handle_data(self, data):
			events.append(("data", data))

	parser = Collect(convert_charrefs=True)
	parser.feed(html_in)
	parser.close()
	closed = set()  # indexes of start events of hiding elements that are closed later
	stack = []
	for i, (kind, value) in enumerate(events):
		if kind == "start" and value in HIDING_TAGS:
			stack.append((i, value))
		elif kind == "end" and value in HIDING_TAGS:
			for j in range(len(stack) - 1, -1, -1):
				if stack[j][1] == value:
					closed.add(stack[j][0])
					del stack[j:]
					break
	text, hidden = [], []
	for i, (kind, value) in enumerate(events):
		if kind == "start" and i in closed:
			hidden.append(value)
		elif kind == "end" and hidden and hidden[-1] == value:
			hidden.pop()
		elif kind == "data" and not hidden:
			text.append(value)
	return re.sub(r"\s+", "", "".join(text))


def is_subsequence(needle: str, haystack: str) -> bool:
	it = iter(haystack)
	return all(ch in it for ch in needle)


DANGEROUS_TAG_RE = re.compile(
	r"<\s*/?\s*(script|style|iframe|object|embed|svg|math|form|input|meta|base|link|body|video|source|"
	r"details|template|noscript)\b",
	re.IGNORECASE,
)


def _attr_values(cleaned: str) -> list[str]:
	return re.findall(r'(?:href|src)="([^"]*)"', cleaned)


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_xss_payload_is_neutralised(payload):
	cleaned = sanitize_html(payload)
	assert not EVENT_ATTR_RE.search(cleaned)
	assert not DANGEROUS_TAG_RE.search(cleaned)
	assert "style=" not in cleaned.lower()
	for value in _attr_values(cleaned):
		squashed = re.sub(r"[\s\x00-\x20]", "", value).lower()
		assert not squashed.startswith(("javascript", "vbscript", "data:text", "data:image/svg", "&#"))


@pytest.mark.parametrize(
	"payload",
	# noscript's content is markup or hidden text depending on whether the browser runs scripts
	[p for p in XSS_CORPUS if "<noscript>" not in p],
)
def test_every_visible_character_of_the_input_is_kept(payload):
	kept = re.sub(r"\s+", "", html_to_text(sanitize_html(payload)))
	assert is_subsequence(visible_characters(payload), kept), (payload, kept)


def test_an_unclosed_tag_does_not_swallow_the_rest_of_the_field():
	cleaned = sanitize_html("<p>Restart the spooler.</p><math><style>Then print a test page.")
	assert "Then print a test page." in html_to_text(cleaned)
	assert "<style>" not in cleaned and "<math>" not in cleaned


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_sanitizing_is_idempotent(payload):
	once = sanitize_html(payload)
	assert sanitize_html(once) == once


def test_script_and_style_content_is_dropped_not_kept_as_text():
	cleaned = sanitize_html(
		"<p>before</p><script>steal(document.cookie)</script><style>p{}</style><p>after</p>"
	)
	assert cleaned == "<p>before</p><p>after</p>"


def test_iframe_object_svg_content_is_dropped():
	cleaned = sanitize_html(
		'<iframe src="https://x">frame text</iframe><object>obj text</object>'
		"<svg><text>svg text</text></svg>kept"
	)
	assert cleaned == "kept"


def test_unknown_tags_are_stripped_but_text_kept():
	assert sanitize_html("<font color=red>red</font> <blink>blink</blink>") == "red blink"


def test_event_handler_removed_but_element_kept():
	assert sanitize_html('<img src="https://x.example/a.png" onerror="alert(1)">') == (
		'<img src="https://x.example/a.png">'
	)
	assert sanitize_html('<p onclick="x()">Hi</p>') == "<p>Hi</p>"


def test_javascript_link_keeps_text_but_loses_href():
	assert sanitize_html('<a href="jav&#x09;ascript:alert(1)">click</a>') == "<a>click</a>"


def test_none_and_empty():
	assert sanitize_html(None) == ""
	assert sanitize_html("") == ""


def test_plain_text_is_escaped():
	assert sanitize_html("a < b & c > d") == "a &lt; b &amp; c &gt; d"


# --- what must survive -------------------------------------------------------------------------------
def test_headings_lists_and_formatting_survive():
	source = (
		"<h2>Steps</h2><ol><li><strong>Open</strong> the <em>settings</em></li><li>Save</li></ol>"
		"<ul><li>a</li></ul><p>H<sub>2</sub>O x<sup>2</sup> <u>u</u> <s>s</s> <mark>m</mark> <small>s</small>"
		" <kbd>Ctrl</kbd></p><blockquote>q</blockquote><hr><dl><dt>t</dt><dd>d</dd></dl>"
	)
	assert sanitize_html(source) == source


def test_links_survive_with_safe_protocols():
	for href in (
		"https://erpnext.com/docs",
		"http://example.com",
		"mailto:help@example.com",
		"tel:+8613800000000",
		"/app/km-article/KA-0001",
		"#resolution",
	):
		source = f'<a href="{href}" title="t">link</a>'
		assert sanitize_html(source) == source


def test_target_blank_gets_noopener():
	cleaned = sanitize_html('<a href="https://example.com" target="_blank">x</a>')
	assert cleaned == '<a href="https://example.com" target="_blank" rel="noopener noreferrer">x</a>'
	cleaned = sanitize_html('<a href="https://example.com" target="_blank" rel="nofollow">x</a>')
	assert 'rel="nofollow noopener noreferrer"' in cleaned
	assert sanitize_html(cleaned) == cleaned


def test_unknown_target_dropped():
	assert sanitize_html('<a href="/x" target="evilframe">x</a>') == '<a href="/x">x</a>'


def test_tables_survive():
	source = (
		'<table><caption>Ports</caption><colgroup><col span="2"></colgroup><thead><tr><th scope="col">'
		'Port</th><th>Use</th></tr></thead><tbody><tr><td colspan="2">443</td></tr><tr><td rowspan="1">'
		"80</td><td>http</td></tr></tbody><tfoot><tr><td>f</td><td>g</td></tr></tfoot></table>"
	)
	assert sanitize_html(source) == source


def test_images_survive_including_pasted_base64():
	source = (
		'<figure><img src="https://x.example/a.png" alt="Screen" width="300" height="200">'
		"<figcaption>Screen</figcaption></figure>"
	)
	assert sanitize_html(source) == source
	pasted = '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+A8AAQUBAScY42YAAAAASUVORK5CYII=">'
	assert sanitize_html(pasted) == pasted
	for kind in ("jpeg", "jpg", "gif", "webp"):
		tag = f'<img src="data:image/{kind};base64,AAAA">'
		assert sanitize_html(tag) == tag


def test_data_url_only_for_images():
	assert sanitize_html('<a href="data:image/png;base64,AAAA">x</a>') == "<a>x</a>"
	assert sanitize_html('<img src="data:image/png,notbase64">') == "<img>"


def test_code_blocks_and_editor_classes_survive():
	source = (
		'<pre class="ql-syntax" data-language="python">def f():\n    return "&lt;b&gt;"</pre>'
		'<p class="ql-align-center">c</p><ol><li class="ql-indent-1">i</li></ol>'
		'<code class="language-sql">SELECT 1</code><span class="hljs-keyword">x</span>'
	)
	assert sanitize_html(source) == source


def test_suspicious_class_value_dropped():
	assert sanitize_html('<span class="a&quot; onclick=&quot;x">t</span>') == "<span>t</span>"


def test_chinese_text_survives():
	assert sanitize_html("<p>打印机无法连接，请重启。</p>") == "<p>打印机无法连接，请重启。</p>"


# --- html_to_text --------------------------------------------------------------------------------------
def test_html_to_text_blocks_become_lines_and_entities_unescaped():
	source = "<h1>Fix &amp; verify</h1><p>Open   the\n settings&nbsp;page.<br>Then save.</p><ul><li>a</li><li>b</li></ul>"
	assert html_to_text(source) == "Fix & verify\nOpen the settings page.\nThen save.\na\nb"


def test_html_to_text_keeps_line_breaks_inside_pre():
	assert html_to_text("<p>run</p><pre>a = 1\nb = 2</pre>") == "run\na = 1\nb = 2"


def test_html_to_text_drops_script_and_style():
	assert html_to_text("<p>x</p><script>alert(1)</script><style>p{}</style><p>y</p>") == "x\ny"


def test_html_to_text_table_cells_separated():
	assert html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") == "a b\nc"


def test_html_to_text_empty_editor_content():
	assert html_to_text("<p><br></p>") == ""
	assert html_to_text(None) == ""
	assert html_to_text("&lt;script&gt;") == "<script>"

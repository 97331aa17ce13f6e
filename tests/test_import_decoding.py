"""Every input decoded by what it declares, then by detection, and stored faithfully: a feed per
encoding a world-news reader meets, declared in its XML declaration, by its server, or not at all;
UTF-16 and UTF-32 with and without a byte order mark; the real undeclared snippets of feedparser's
corpus. Text that could not be decoded whole is stored only with a warning that says so."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.importing.pipeline import import_inputs
from articles.models import Article

REAL = Path(__file__).resolve().parent / "fixtures" / "realworld"
pytestmark = pytest.mark.django_db

RUSSIAN = ("Переговоры в Женеве продолжатся на следующей неделе",
           "Делегации обсудили обмен пленными, гуманитарные коридоры и судьбу электростанции. "
           "Стороны договорились встретиться снова после консультаций со столицами.")
SIMPLIFIED = ("外交部就南海局势答记者问", "发言人表示，各方应当通过谈判和协商解决争议，维护地区和平稳定。会谈将于下周在北京举行。")
# 镕 is in GBK, not in GB2312: a feed that says gb2312 and uses it is common, and reads whole.
GBK = ("前总理朱镕基的经济改革回顾", "朱镕基在任期间推动了国有企业改革和金融体制改革，对中国经济产生了深远影响。")
TRADITIONAL = ("立法院通過國防預算修正案", "行政院表示，新的預算將用於強化海空防衛與後勤體系，並提升基層官兵待遇。")
JAPANESE = ("首相、来週の日米首脳会談に向け調整", "政府関係者によると、会談では安全保障と経済協力が主な議題となる見通しだ。")
ARABIC = ("وزراء الخارجية العرب يجتمعون في القاهرة",
          "ناقش الوزراء الأوضاع في المنطقة وسبل دعم الحوار بين الأطراف المختلفة، واتفقوا على عقد اجتماع جديد الشهر المقبل.")
MIXED = ("Москва, 北京 и القاهرة: три столицы", "Trois capitales, 三个首都, ثلاث عواصم — одна повестка.")

ENCODINGS = [  # (declared label, Python codec, title and text)
    ("windows-1251", "cp1251", RUSSIAN),
    ("koi8-r", "koi8-r", RUSSIAN),
    ("gb2312", "gb2312", SIMPLIFIED),
    ("gb2312", "gbk", GBK),
    ("gbk", "gbk", GBK),
    ("big5", "big5", TRADITIONAL),
    ("shift_jis", "shift_jis", JAPANESE),
    ("iso-8859-6", "iso8859-6", ARABIC),
]


def rss(title: str, text: str, label: str | None = None) -> str:
    declaration = f'<?xml version="1.0" encoding="{label}"?>\n' if label else ""
    return (
        f'{declaration}<rss version="2.0"><channel><title>Wire</title><link>https://wire.example.org/</link>'
        f"<item><title>{title}</title><link>https://wire.example.org/1</link><description>{text}</description></item>"
        "</channel></rss>"
    )


def imported(path: Path):
    report = import_inputs([str(path)])
    assert report.ok and not report.warnings, (report.failed, report.warnings)
    [entry] = report.created
    return Article.objects.get(), entry


@pytest.mark.parametrize(("label", "codec", "texts"), ENCODINGS, ids=[f"{e[0]}-{e[1]}" for e in ENCODINGS])
def test_a_feed_declaring_its_encoding_is_stored_faithfully(tmp_path, label, codec, texts):
    (tmp_path / "feed.xml").write_bytes(rss(*texts, label).encode(codec))
    article, entry = imported(tmp_path / "feed.xml")
    assert (article.title, article.free_text) == texts
    assert entry["encoding"].endswith("(declared by its XML declaration)")


@pytest.mark.parametrize(("label", "codec", "texts"), ENCODINGS, ids=[f"{e[0]}-{e[1]}" for e in ENCODINGS])
def test_a_feed_declaring_no_encoding_is_detected_and_stored_faithfully(tmp_path, label, codec, texts):
    (tmp_path / "feed.xml").write_bytes(rss(*texts).encode(codec))
    article, entry = imported(tmp_path / "feed.xml")
    assert (article.title, article.free_text) == texts
    assert entry["encoding"].endswith("(detected by charset-normalizer)")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32-be", "utf-32"])
@pytest.mark.parametrize("declared", [True, False])
def test_utf_16_and_32_feeds_with_and_without_a_byte_order_mark_are_read(tmp_path, codec, declared):
    """"utf-16" and "utf-32" write a byte order mark; the -le and -be forms do not."""
    label = codec.removesuffix("-le").removesuffix("-be") if declared else None
    (tmp_path / "feed.xml").write_bytes(rss(*MIXED, label).encode(codec))
    article, _ = imported(tmp_path / "feed.xml")
    assert (article.title, article.free_text) == MIXED


def test_the_servers_charset_decides_a_fetched_feed(httpserver, settings):
    settings.NEWSREADER_FETCH_ALLOWED_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    httpserver.expect_request("/feed").respond_with_data(
        rss(*RUSSIAN).encode("koi8-r"), content_type="application/rss+xml; charset=KOI8-R"
    )
    report = import_inputs([httpserver.url_for("/feed")])
    assert report.created[0]["encoding"] == "KOI8-R (declared by the server's Content-Type)"
    assert Article.objects.get().title == RUSSIAN[0]


def test_a_documents_own_declaration_wins_over_a_servers_default_charset(httpserver, settings):
    """Servers send ISO-8859-1 when nobody chose; the feed's own Windows-1251 is the truth."""
    settings.NEWSREADER_FETCH_ALLOWED_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    httpserver.expect_request("/feed").respond_with_data(
        rss(*RUSSIAN, "windows-1251").encode("cp1251"), content_type="text/xml; charset=ISO-8859-1"
    )
    import_inputs([httpserver.url_for("/feed")])
    assert Article.objects.get().free_text == RUSSIAN[1]


def test_an_html_page_is_decoded_by_its_meta_charset(tmp_path):
    body = "".join(f"<p>{RUSSIAN[1]} {n}</p>" for n in range(6))
    page = (f'<html><head><meta charset="windows-1251"><title>{RUSSIAN[0]}</title></head>'
            f"<body><article><h1>{RUSSIAN[0]}</h1>{body}</article></body></html>")
    (tmp_path / "page.html").write_bytes(page.encode("cp1251"))
    report = import_inputs([str(tmp_path / "page.html")])
    assert report.created[0]["encoding"] == "Windows-1251 (declared by its <meta charset>)"
    article = Article.objects.get()
    assert article.title == RUSSIAN[0] and RUSSIAN[1] in article.free_text


def test_utf_8_declared_as_a_legacy_encoding_is_read_as_utf_8_with_a_warning(tmp_path):
    (tmp_path / "feed.xml").write_bytes(rss(*RUSSIAN, "ISO-8859-1").encode())
    report = import_inputs([str(tmp_path / "feed.xml")])
    assert Article.objects.get().title == RUSSIAN[0]
    [warning] = report.warnings
    assert "is declared as Windows-1252 (declared by its XML declaration) but is UTF-8" in warning["warning"]


def test_bytes_no_encoding_can_read_are_stored_only_with_a_warning(tmp_path):
    """A UTF-16 feed cut in the middle of a character: the rest is kept, and the report says so."""
    (tmp_path / "feed.xml").write_bytes(codec_bytes := rss(*MIXED).encode("utf-16"))
    (tmp_path / "feed.xml").write_bytes(codec_bytes[:-3])
    report = import_inputs([str(tmp_path / "feed.xml")])
    assert Article.objects.get().title == MIXED[0]
    assert any("1 of its characters could not be read as UTF-16-LE (its byte order mark) and show as “\ufffd”: "
               "its text is not whole" in warning["warning"] for warning in report.warnings)


@pytest.mark.parametrize(("name", "title", "text"), [
    ("eucjp", "ゲーム三昧な正月", "SDガンダムGジェネレーションNEO"),
    ("euckr", "EUC-KR 에서 TypeKey 한글닉네임 표시하기", "TypeKey 시스템이 UTF-8로 돌아가는데"),
    ("gb2312", "不归移民漫画系列：专业工作", ""),
    ("koi8r", "Как пережить новогоднюю ночь", "Наверное, единственное, во что сегодня можно верить"),
    ("shiftjis", "DrecomRSSに記事投稿が反映されない…", "色々調べてたら"),
    # Untitled entries, titled by their first words (Thai writes no spaces between words).
    ("tis620", "สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์แห่งชาติ", "สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์แห่งชาติ หรือ SIPA"),
    ("windows1255", "האם תדפיס נייר של אתר אינטרנט", "האם תדפיס נייר של אתר אינטרנט שמוצג על מסך משתמש"),
])
def test_real_feeds_that_declare_no_encoding_are_detected(name, title, text):
    """Snippets of real feeds in feedparser's corpus (tests/fixtures/realworld/README.md)."""
    report = import_inputs([str(REAL / "encodings" / f"feedparser--{name}.xml")])
    assert report.ok
    article = Article.objects.get()
    assert article.title.startswith(title) and text in article.free_text
    assert report.created[0]["encoding"].endswith("(detected by charset-normalizer)")


def test_the_json_report_records_the_encoding_and_the_warnings(tmp_path, capsys):
    (tmp_path / "feed.xml").write_bytes(rss(*RUSSIAN, "ISO-8859-1").encode())
    call_command("import_articles", "--json", str(tmp_path / "feed.xml"))
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["created", "updated", "unchanged", "failed", "warnings"]
    assert report["created"][0]["encoding"] == "UTF-8 (valid UTF-8, against the 'ISO-8859-1' it declares)"
    assert report["warnings"][0]["input"] == str(tmp_path / "feed.xml")

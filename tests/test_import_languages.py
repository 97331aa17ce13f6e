"""The language of each imported article: what its input says (JSON `language`, front matter,
a feed's `<language>`, an entry's `dc:language` or `xml:lang`, `<html lang>`), else detected from
its text; its slug readable in ASCII whatever its script, and kept once published."""

import json
from pathlib import Path

import pytest

from articles.importing.pipeline import import_inputs
from articles.models import Article, ArticleCountry

from .factories import make_article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "languages"
pytestmark = pytest.mark.django_db

RUSSIAN = "Москва и Пекин подписали новое соглашение о торговле. Переговоры о ценах на газ пока не завершены."


def write(folder, name, content):
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def imported(*paths):
    report = import_inputs(list(paths))
    assert report.ok, report.failed
    return report


def test_json_articles_in_six_languages_are_detected_and_get_readable_slugs():
    report = imported(str(FIXTURES / "articles.json"))
    stored = {a.slug: (a.language, a.language_detected) for a in Article.objects.order_by("pk")}
    assert stored == {
        "moskva-i-pekin-podpisali-novoe-soglashenie-o-torgovle": ("ru", True),
        "zhong-guo-yu-yue-nan-qian-shu-xin-de-mao-yi-xie-yi": ("zh", True),
        "alswdyh-wiyran-twqan-atfaqa-jdyda-lltjarh": ("ar", True),
        "lalgerie-et-le-maroc-relancent-leurs-negociations": ("fr", True),
        "deutschland-und-polen-unterzeichnen-ein-abkommen": ("de", True),
        "mexico-y-colombia-firman-un-acuerdo-comercial": ("es", True),
    }
    assert [entry["slug"] for entry in report.created] == list(stored)


def test_json_language_is_taken_as_given(tmp_path):
    items = [
        {"title": "Zprávy z Prahy", "body": "Krátký text.", "language": "cs-CZ"},
        {"title": "A headline", "body": "Written in English, tagged Portuguese by its publisher.", "language": "pt_br"},
    ]
    imported(write(tmp_path, "items.json", json.dumps(items)))
    assert dict(Article.objects.values_list("title", "language")) == {"Zprávy z Prahy": "cs-CZ", "A headline": "pt-BR"}
    assert not Article.objects.filter(language_detected=True).exists()


def test_a_language_that_names_none_is_detected_instead(tmp_path):
    imported(write(tmp_path, "item.json", json.dumps({"title": "Переговоры", "body": RUSSIAN, "language": "Russian"})))
    article = Article.objects.get()
    assert (article.language, article.language_detected) == ("ru", True)


def test_markdown_front_matter_language(tmp_path):
    imported(write(tmp_path, "note.md", "---\ntitle: Una nota\nlanguage: it\n---\nUn breve testo.\n"))
    assert Article.objects.get().language == "it"


def test_rss_channel_language_and_an_items_own(tmp_path):
    feed = """<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Обзор</title><language>ru-RU</language>
<item><title>Соглашение</title><guid isPermaLink="false">1</guid><description>Короткий текст.</description></item>
<item><title>Ein Abkommen</title><guid isPermaLink="false">2</guid><dc:language>de</dc:language><description>Ein kurzer Text.</description></item>
</channel></rss>"""
    imported(write(tmp_path, "feed.rss", feed))
    assert dict(Article.objects.values_list("guid", "language")) == {"1": "ru-RU", "2": "de"}


def test_atom_entries_xml_lang(tmp_path):
    feed = """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Revue</title><id>urn:x</id><updated>2026-11-20T00:00:00Z</updated>
<entry xml:lang="ar"><title>اتفاق</title><id>https://example.org/1</id><updated>2026-11-20T00:00:00Z</updated><content type="html">نص قصير.</content></entry>
<entry><title>Un accord</title><id>https://example.org/2</id><updated>2026-11-20T00:00:00Z</updated><content type="html">Un texte court.</content></entry>
</feed>"""
    imported(write(tmp_path, "feed.atom", feed))
    assert dict(Article.objects.values_list("guid", "language")) == {"https://example.org/1": "ar", "https://example.org/2": "fr"}


def test_html_pages_lang(tmp_path):
    text = "".join(f"<p>{sentence}</p>" for sentence in ["Die Regierungen haben ein Abkommen unterzeichnet."] * 6)
    page = f'<!doctype html><html lang="de-AT"><head><title>Ein Abkommen</title></head><body><article><h1>Ein Abkommen</h1>{text}</article></body></html>'
    imported(write(tmp_path, "page.html", page))
    assert Article.objects.get().language == "de-AT"


def test_plain_text_is_detected(tmp_path):
    imported(write(tmp_path, "note.txt", f"Новое соглашение\n\n{RUSSIAN}\n"))
    article = Article.objects.get()
    assert (article.slug, article.language, article.language_detected) == ("novoe-soglashenie", "ru", True)


def test_the_tagger_is_given_the_articles_language(tmp_path):
    """French adjectives are looked for only in a text shown to be French: a language given says so."""
    imported(write(tmp_path, "item.json", json.dumps(
        {"title": "Un accord", "body": "Le gouvernement algérien a signé.", "language": "fr"}
    )))
    assert list(ArticleCountry.objects.values_list("country_id", flat=True)) == ["dz"]


@pytest.mark.parametrize("title,slug", [
    ("Москва и Пекин подписали соглашение", "moskva-i-pekin-podpisali-soglashenie"),
    ("中国与越南签署新的贸易协议", "zhong-guo-yu-yue-nan-qian-shu-xin-de-mao-yi-xie-yi"),
    ("السعودية وإيران توقعان اتفاقا", "alswdyh-wiyran-twqan-atfaqa"),
    ("한국과 일본이 협정에 서명했다", "hanguggwa-ilboni-hyeobjeonge-seomyeonghaessda"),
    ("Ελλάδα και Κύπρος", "ellada-kai-kypros"),
    ("中国" * 60, ("zhong-guo-" * 8).rstrip("-")),
])
def test_slugs_are_readable_in_ascii_from_any_script(title, slug):
    assert make_article(title=title).slug == slug


def test_a_published_slug_never_changes_on_re_import(tmp_path):
    path = write(tmp_path, "item.json", json.dumps({"title": "Соглашение", "body": RUSSIAN, "url": "https://example.org/1"}))
    imported(path)
    write(tmp_path, "item.json", json.dumps({"title": "Новое соглашение", "body": RUSSIAN, "url": "https://example.org/1"}))
    report = imported(path)
    assert [entry["slug"] for entry in report.updated] == ["soglashenie"]
    assert Article.objects.get().title == "Новое соглашение"


def test_a_language_an_editor_chose_stays_when_the_input_gives_none(tmp_path):
    path = write(tmp_path, "item.json", json.dumps({"title": "Nota", "body": "Um texto curto.", "url": "https://example.org/2"}))
    imported(path)
    Article.objects.update(language="gl", language_detected=False)  # as the admin form saves an editor's choice
    write(tmp_path, "item.json", json.dumps({"title": "Nota", "body": "Um texto curto, corrigido.", "url": "https://example.org/2"}))
    assert imported(path).updated
    article = Article.objects.get()
    assert (article.language, article.language_detected) == ("gl", False)


def test_an_input_without_a_language_hashes_as_before_languages_were_stored(tmp_path):
    """So that every stored article is `unchanged` when its input is imported again after the upgrade."""
    imported(write(tmp_path, "item.json", json.dumps({"title": "Same", "body": "Same text."})))
    first = Article.objects.get().content_hash
    Article.objects.all().delete()
    imported(write(tmp_path, "item.json", json.dumps({"title": "Same", "body": "Same text.", "language": "en"})))
    assert Article.objects.get().content_hash != first


def test_a_json_feeds_language(tmp_path):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Revista", "language": "pt-BR",
            "items": [{"id": "https://example.org/3", "url": "https://example.org/3", "title": "Acordo", "content_text": "Um texto."}]}
    imported(write(tmp_path, "feed.json", json.dumps(feed)))
    assert Article.objects.get().language == "pt-BR"

"""The tagger against a labelled set and the ambiguities the vocabulary documents."""

import json
from pathlib import Path

import pycountry
import pytest

from articles.geo.tagging import tag, tag_article
from articles.geo.vocabulary import vocabulary

LABELLED = json.loads((Path(__file__).parent / "fixtures/tagging/labelled.json").read_text())
LANGUAGES = ["en", "ru", "zh", "ar", "fr", "es", "de", "pt"]


def _language(item):
    return item.get("language", "en")


def _scores(kind, language):
    true_pos = false_pos = false_neg = 0
    for item in LABELLED:
        if _language(item) != language:
            continue
        found = set(getattr(tag(title=item["title"], dek=item["dek"], text=item["text"]), kind))
        expected = set(item[kind])
        true_pos += len(found & expected)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
    return true_pos / max(1, true_pos + false_pos), true_pos / max(1, true_pos + false_neg)


def test_labelled_set_is_large_enough():
    assert len({item["id"] for item in LABELLED}) == len(LABELLED)
    per_language = {language: sum(_language(item) == language for item in LABELLED) for language in LANGUAGES}
    assert per_language["en"] >= 60
    assert all(count >= 10 for count in per_language.values()), per_language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["countries", "actors"])
def test_precision_and_recall_on_the_labelled_set(kind, language):
    precision, recall = _scores(kind, language)
    assert precision >= 0.95, f"{language} {kind} precision {precision:.3f}"
    assert recall >= 0.95, f"{language} {kind} recall {recall:.3f}"


def countries(**fields):
    return tag(**fields).countries


def test_niger_is_not_nigeria():
    assert countries(text="Niger closed its border.") == {"ne": 1}
    assert countries(text="Nigeria closed its border.") == {"ng": 1}
    assert countries(text="Nigerien and Nigerian traders met.") == {"ne": 1, "ng": 1}
    assert countries(text="Spills in the Niger Delta continue.") == {"ng": 1}


def test_georgia_the_us_state_is_told_from_the_country():
    assert countries(text="Protesters filled Tbilisi as Georgia's government wavered.") == {"ge": 2}
    assert countries(text="Voters in Atlanta said Georgia needs more polling places; Governor Brian Kemp agreed.") == {}
    # Without any cue, Georgia is the country (documented as the default).
    assert countries(text="Georgia is at a crossroads.") == {"ge": 1}


def test_chad_in_a_byline_is_a_person():
    assert countries(text="By Chad Miller\n\nChad Miller reports from Ohio.") == {}
    assert countries(text="By Chad Miller\n\nRefugees crossed into Chad from Sudan.") == {"td": 1, "sd": 1}
    assert countries(title="Chad Closes Its Border") == {"td": 3}
    assert countries(text="Michael Jordan retired. King Abdullah of Jordan did not.") == {"jo": 1}


def test_turkey_and_turkiye_are_one_country():
    assert countries(text="Türkiye and Turkey and Turkiye; Turkish officials in Ankara.") == {"tr": 5}
    assert countries(text="We ate turkey.") == {}


def test_washington_as_the_government_and_not_the_state_or_a_person():
    assert countries(text="Washington imposed sanctions.") == {"us": 1}
    assert countries(text="Fires in Washington state. George Washington slept here. The Washington Post.") == {}


def test_abbreviations_and_metonyms():
    assert countries(text="The U.S. and the UK, the US and the U.K., the USA.") == {"us": 3, "gb": 2}
    assert countries(text="The Kremlin, the White House and Downing Street.") == {"ru": 1, "us": 1, "gb": 1}
    assert countries(text="A Franco-German and Sino-Russian plan.") == {"fr": 1, "de": 1, "cn": 1, "ru": 1}
    assert countries(text="Across Latin America and New Mexico, Americans are few.") == {"us": 1}


def test_longest_name_wins():
    assert countries(text="South Sudan, Papua New Guinea, Guinea-Bissau.") == {"ss": 1, "pg": 1, "gw": 1}


def test_names_are_case_sensitive_whole_words():
    assert countries(text="us and them; china plates; the omani") == {}
    assert countries(text="Romania") == {"ro": 1}


def test_title_and_dek_weigh_more():
    tags = tag(title="Kenya votes", dek="Kenya and Uganda", text="Kenya, again.")
    assert tags.countries == {"ke": 3 + 2 + 1, "ug": 2}


def test_actors_are_tagged():
    tags = tag(text="NATO and the EU met the UN, OPEC+ and Vladimir Putin in Brussels.")
    assert tags.actors == {"nato": 1, "eu": 2, "un": 1, "opec": 1, "putin": 1}
    assert tags.countries == {}


def test_given_tags_are_kept_when_known():
    given = ["UA", "nato", "nonsense", "Kenya", "African Union", "Politics"]
    tags = tag_article({"title": "T", "dek": "", "free_text": "Kenya.", "members_text": ""}, given=given)
    assert tags.given == {"ua", "nato", "ke", "au"}


def test_every_iso_country_has_a_region_and_a_name():
    vocab = vocabulary()
    assert set(vocab.countries) == {c.alpha_2.lower() for c in pycountry.countries}
    assert all(c.region and c.name for c in vocab.countries.values())
    assert vocab.countries["tr"].name == "Türkiye" and vocab.countries["ru"].name == "Russia"


@pytest.mark.parametrize("text, expected", [
    ("Москва и Пекин", {"ru", "cn"}),
    ("中国与越南", {"cn", "vn"}),
    ("السعودية وإيران", {"sa", "ir"}),
    ("Algérie", {"dz"}),
    ("Deutschland und Polen", {"de", "pl"}),
])
def test_names_in_the_article_language(text, expected):
    assert set(countries(text=text)) == expected


def test_names_are_matched_in_their_inflected_forms():
    assert countries(text="Монголию и Монголии; в Монголии; с Монголией.") == {"mn": 4}
    assert countries(text="российские и китайские дипломаты; американцев и россиян") == {"ru": 2, "cn": 1, "us": 1}
    assert countries(text="Polens Armee und Russlands Botschafter über die deutschen Firmen") == {"pl": 1, "ru": 1, "de": 1}
    assert countries(text="les autorités nigériennes et les commerçants nigérians") == {"ne": 1, "ng": 1}
    assert countries(text="للسعودية والولايات المتحدة وبالصين، والحكومة الإيرانية") == {"sa": 1, "us": 1, "cn": 1, "ir": 1}


def test_lower_case_names_are_looked_for_in_the_languages_a_text_shows():
    # Adjectives ("deutschen", "chinois") are looked for where the text shows its language (an
    # accented letter and two frequent words), or where the article's language is given.
    assert countries(text="die deutschen Firmen") == {}
    assert countries(text="die deutschen Firmen", language="de") == {"de": 1}
    assert countries(text="Les entreprises chinoises et américaines sont présentes dans le port.") == {"cn": 1, "us": 1}


def test_chinese_abbreviations_only_in_their_compounds():
    assert countries(text="中美关系") == {"cn": 1, "us": 1}
    assert countries(text="其中美国企业") == {"us": 1}  # 其中 ("among them") + 美国
    assert countries(text="来自中美洲的移民") == {}  # Central America
    assert countries(text="美方表示，其中方案已经通过") == {"us": 1}  # 其中 + 方案 ("plan")
    assert countries(text="许多哥伦比亚人") == {"co": 1}  # not 多哥 (Togo)


def test_names_shared_with_another_word_in_arabic():
    # عمان is both Oman and Amman, the capital of Jordan; مالي is Mali and "financial".
    assert countries(text="استقبل العاهل الأردني الوزراء في عمان") == {"jo": 1}
    assert countries(text="رحبت سلطنة عمان بالخطوة") == {"om": 1}
    assert countries(text="قدم البنك دعما ماليا ووضع مالي صعب") == {}
    assert countries(text="وأعلنت مالي والنيجر وبوركينا فاسو انسحابها") == {"ml": 1, "ne": 1, "bf": 1}


def test_a_city_named_only_as_where_someone_is_based_is_not_its_country():
    assert countries(text="said an analyst at Liberum in London.") == {}
    assert countries(text="A Tokyo-based fund and traders in London trading.") == {}
    assert countries(text="OPEC+ ministers meeting in Vienna agreed.") == {}
    assert countries(text="Shares of Tokyo Electron fell. Real Madrid won.") == {}
    assert countries(text="Moscow expelled two diplomats; officials in Washington said.") == {"ru": 1, "us": 1}


def test_seas_currency_symbols_units_and_regions_are_not_countries():
    text = ("Ships in the South China Sea, the Sea of Japan and the Gulf of Mexico; US$5 million; "
            "$3 per million British thermal units; the Indo-Pacific; Greco-Roman wrestling.")
    assert countries(text=text) == {}
    assert countries(text="Indo-Pakistani talks") == {"in": 1, "pk": 1}

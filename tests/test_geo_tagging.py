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
    tags = tag_article(title="T", dek="", free_text="Kenya.", members_text="", given=given)
    assert tags.given == {"ua", "nato", "ke", "au"}


def test_every_iso_country_has_a_region_and_a_name():
    vocab = vocabulary()
    assert set(vocab.countries) == {c.alpha_2.lower() for c in pycountry.countries}
    assert all(c.region and c.name for c in vocab.countries.values())
    assert vocab.countries["tr"].name == "Türkiye" and vocab.countries["ru"].name == "Russia"

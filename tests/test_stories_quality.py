"""Grouping, scored on the labelled set (tests/fixtures/stories/README.md): pairwise precision and
recall over article pairs, the set imported through the real pipeline in one run."""

import itertools
import json
from pathlib import Path

import pytest

from articles.importing.pipeline import import_inputs
from articles.models import StoryArticle

pytestmark = pytest.mark.django_db
LABELLED = Path(__file__).parent / "fixtures" / "stories" / "articles.json"


def pairs(groups: dict[str, str]) -> set[frozenset]:
    """Every pair of articles (by URL) that share a group."""
    by_group: dict[str, list[str]] = {}
    for url, group in groups.items():
        by_group.setdefault(group, []).append(url)
    return {frozenset(pair) for urls in by_group.values() for pair in itertools.combinations(urls, 2)}


def score(found: set, wanted: set) -> tuple[float, float]:
    right = len(found & wanted)
    return (right / len(found) if found else 1.0), right / len(wanted)


def test_grouping_finds_the_labelled_stories_and_keeps_the_distractors_apart():
    labelled = json.loads(LABELLED.read_text())
    report = import_inputs([str(LABELLED)])
    assert not report.failed and len(report.created) == len(labelled)
    placed = {
        url: str(story or f"alone-{url}")
        for url, story in StoryArticle.objects.values_list("article__source_url", "story_id")
    }
    wanted = pairs({item["url"]: item["story"] for item in labelled})
    found = pairs(placed)
    precision, recall = score(found, wanted)
    missed = sorted(tuple(sorted(pair)) for pair in wanted - found)
    wrong = sorted(tuple(sorted(pair)) for pair in found - wanted)
    print(f"precision {precision:.3f} recall {recall:.3f} missed {missed} wrong {wrong}")
    assert precision >= 0.95, wrong
    assert recall >= 0.90, missed

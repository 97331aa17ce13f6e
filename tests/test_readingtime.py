import pytest

from articles.readingtime import WORDS_PER_MINUTE, reading_minutes

from .factories import make_article


def words(n):
    return " ".join(["word"] * n)


def test_reading_minutes_rounds_up_and_is_at_least_one():
    assert reading_minutes("") == 1
    assert reading_minutes(words(WORDS_PER_MINUTE)) == 1
    assert reading_minutes(words(WORDS_PER_MINUTE + 1)) == 2
    assert reading_minutes(words(WORDS_PER_MINUTE), words(WORDS_PER_MINUTE)) == 2


@pytest.mark.django_db
def test_import_stores_the_reading_time_of_the_whole_text_and_pages_show_it(client):
    article = make_article(
        title="A Long Read",
        paragraphs=[words(300), words(300), words(300), words(300)],
        free_blocks=2,
    )
    assert article.reading_minutes == 6  # 1,200 words, members-only ones included
    assert "6 min read" in client.get(article.get_absolute_url()).content.decode()
    assert "6 min read" in client.get("/").content.decode()

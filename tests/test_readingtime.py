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


def test_chinese_and_japanese_are_timed_by_their_letters():
    """They have no spaces to count words by: a long Chinese text is not one word."""
    assert reading_minutes("中国与越南签署新的贸易协议。" * 70) == 3  # 910 letters
    assert reading_minutes("日本と韓国が貿易協定に署名した。" * 25, words(230)) == 2  # 375 letters and 230 words

import pytest

from articles.importing.chrome import split_chrome

BODY = ["The last paragraph of the article, long enough to be prose and not a line of chrome at all."]


def test_seed_chrome_is_split_off_and_recorded_as_paywall():
    chrome = [
        "This content is available exclusively to Dispatch members",
        "Try a membership for full access to every newsletter and all of The Dispatch. Support quality, fact-based journalism.",
        "Already a paid member? Sign In",
        "Comments (0)",
        "Join The Dispatch to participate in the comments.",
        "",
        "There are currently no responses to this article.",
        "Be the first to respond.",
    ]
    split = split_chrome(BODY + [""] + chrome)
    assert split.body == BODY + [""]
    assert split.chrome == [line for line in chrome if line]
    assert split.paywalled
    assert split.publisher == "The Dispatch"


@pytest.mark.parametrize(
    "chrome",
    [
        ["Subscribe to continue reading", "Already a subscriber? Log in"],
        ["This article is for subscribers only", "Subscribe now", "14 Comments"],
        ["Keep reading with a 7-day free trial", "Subscribe to The Atlantic Letter to keep reading this post."],
        ["This content is available exclusively to Foreign Affairs subscribers", "Already a subscriber? Sign in"],
        ["You've reached your limit of free articles.", "Become a member to keep reading."],
    ],
)
def test_other_paywall_shapes_are_recognised(chrome):
    split = split_chrome(BODY + chrome)
    assert split.body == BODY
    assert split.paywalled


def test_comment_chrome_alone_is_removed_but_is_not_a_paywall():
    split = split_chrome(BODY + ["3 Comments", "Leave a comment"])
    assert split.body == BODY
    assert not split.paywalled


def test_text_without_chrome_is_left_whole():
    lines = BODY + ["", "Short closing line."]
    split = split_chrome(lines)
    assert split.body == lines
    assert split.chrome == []
    assert not split.paywalled


def test_a_short_unknown_line_inside_the_chrome_block_goes_with_it():
    split = split_chrome(BODY + ["Subscribe to continue reading", "Support independent journalism.", "2 comments"])
    assert split.body == BODY
    assert "Support independent journalism." in split.chrome

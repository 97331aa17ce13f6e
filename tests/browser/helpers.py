"""Steps that several browser journeys share."""

from ..factories import make_article

PASSWORD = "a-long-test-password"


def sign_in(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def gated_article(**fields):
    return make_article(
        title=fields.pop("title", "Straits and Sanctions"),
        dek=fields.pop("dek", "A narrow waterway and a wide quarrel."),
        author=fields.pop("author", "Ines Duarte"),
        source_name=fields.pop("source_name", "The Dispatch"),
        paragraphs=fields.pop("paragraphs", [
            "The free opening paragraph sets out the quarrel over the strait.",
            "The second free paragraph names the ministers who will meet.",
            "The members-only paragraph weighs what each side can concede.",
            "The last members-only paragraph closes with the likely outcome.",
        ]),
        free_blocks=2,
        **fields,
    )

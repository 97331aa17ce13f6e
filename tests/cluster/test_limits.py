"""Limits and counts hold with requests spread over every node at once."""

import uuid
from concurrent.futures import ThreadPoolExecutor

from .conftest import SETTINGS, article_slugs, signed_in


def at_once(work, count: int):
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda number: work(number), range(count)))


def served_by(responses) -> set[str]:
    return {each.headers.get("X-Served-By") for response in responses for each in [*response.history, response]} - {None}


def test_the_comment_rate_limit_holds_across_nodes(cluster):
    member = cluster.reader()
    username = member.sign_up()
    slug = article_slugs(member.get("/").text)[0]
    limit = int(SETTINGS["NEWSREADER_COMMENTS_PER_MINUTE"])
    responses = at_once(lambda n: member.post(f"/articles/{slug}/comments/", {"body": f"At once {n}"},
                                              allow_redirects=False), 2 * limit)
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302] * limit + [429] * limit
    assert len(served_by(responses)) >= 2
    stored = cluster.primary("SELECT count(*) FROM articles_comment c JOIN auth_user u ON u.id = c.user_id "
                             "WHERE u.username = %s", username)
    assert stored == [(limit,)]


def test_the_sign_in_throttle_holds_across_nodes(cluster):
    username = cluster.reader().sign_up()
    limit = int(SETTINGS["NEWSREADER_LOGIN_FAILURES_PER_USER"])
    attackers = [cluster.reader() for _ in range(2 * limit)]
    responses = at_once(lambda n: attackers[n].sign_in(username, "not-the-password"), 2 * limit)
    assert sorted(response.status_code for response in responses) == [200] * limit + [429] * limit
    assert len(served_by(responses)) >= 2
    assert cluster.primary("SELECT count(*) FROM articles_loginfailure WHERE username = %s", username) == [(limit,)]
    # The right password now is refused too, on every node.
    for _ in range(3):
        response = cluster.reader().sign_in(username)
        assert response.status_code == 429 and not signed_in(response.text)


def test_fifty_comments_at_once_over_every_node_are_all_stored(cluster):
    members = [cluster.reader() for _ in range(10)]
    at_once(lambda n: members[n].sign_up(), len(members))
    slug = article_slugs(members[0].get("/").text)[-1]
    before = cluster.primary("SELECT comment_count FROM articles_article WHERE slug = %s", slug)[0][0]
    marker = uuid.uuid4().hex[:8]
    responses = at_once(lambda n: members[n % 10].post(f"/articles/{slug}/comments/", {"body": f"{marker} {n}"},
                                                        allow_redirects=False), 50)
    assert [response.status_code for response in responses] == [302] * 50
    assert len(served_by(responses)) >= 2
    assert cluster.primary("SELECT count(*) FROM articles_comment WHERE body LIKE %s", f"{marker} %") == [(50,)]
    assert cluster.primary("SELECT comment_count FROM articles_article WHERE slug = %s", slug) == [(before + 50,)]
    page = members[0].get(f"/articles/{slug}/").text
    assert f'data-comment-count="{before + 50}"' in page

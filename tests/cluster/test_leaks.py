"""No members-only text reaches a non-member through the proxy: tests/test_zero_leaks.py's
article, URLs and checks, against the cluster (every node, the shared page cache, the replicas)."""

import re

from ..test_zero_leaks import ARTICLE, HTMX_HEADERS, SECRET_WORDS, leaks, site_paths
from .conftest import signed_in


def test_no_url_through_the_proxy_shows_members_text_to_non_members(cluster, admin):
    response = admin.post("/admin/articles/article/import/", {"access": "members"},
                          files={"files": ("sahel.md", ARTICLE.encode(), "text/markdown")})
    assert response.status_code == 200
    ((slug,),) = cluster.primary("SELECT slug FROM articles_article WHERE title = 'Sahel Border Talks Resume'")

    member = cluster.reader()
    member.sign_up()
    assert member.post(f"/articles/{slug}/comments/", {"body": "A member's comment on the talks."}).status_code == 200
    ((comment_pk,),) = cluster.primary("SELECT c.id FROM articles_comment c JOIN articles_article a ON a.id = c.article_id "
                                       "WHERE a.slug = %s", slug)
    # A member reads first, on every node, so that anything a shared cache might keep from them is there.
    for _ in range(3):
        page = member.get(f"/articles/{slug}/").text
        assert all(word in page for word in SECRET_WORDS)
        assert SECRET_WORDS[0] in member.get(f"/search/?q={SECRET_WORDS[0]}").text

    lapsed = cluster.reader()
    lapsed_name = lapsed.sign_up()
    cluster.manage("membership", "end", lapsed_name)
    stories = sorted(set(re.findall(r'href="(/stories/[\w-]+/)"', cluster.reader().get("/stories/").text)))
    paths = site_paths(slug, comment_pk, stories)
    assert len(paths) > 20
    checked = 0
    for name, reader in [("anonymous", cluster.reader()), ("lapsed", lapsed)]:
        for path in paths:
            for headers in HTMX_HEADERS:
                response = reader.get(path, headers=headers)
                assert response.status_code < 500, (name, path, headers)
                found = leaks(response.text, path)
                assert not found, f"{name} sees {found} at {path} with {headers}"
                checked += 1
        assert signed_in(reader.get("/").text) == (name == "lapsed")
    assert checked == 2 * len(paths) * len(HTMX_HEADERS)

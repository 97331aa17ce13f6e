"""What one search costs in-process, per query, over a benchmark database (docs/search.md): the
results page's queries (the candidates, the count, the page of 20 with their snippets), timed as
a reader's first search (no cache), the median of 7 after one warm-up.

    DATABASE_URL=postgres://…/newsreader_bench .venv/bin/python -m tests.bench.search_cpu

`make bench` with BENCH_CORPUS=mixed imports a mixed-language corpus (tests/bench/languages.py).
"""

import os
import time
from statistics import median

import django

# (query, reader): the corpus's common and rare words in English and in other languages.
QUERIES = [
    ("government", "non-member"), ("government", "member"), ('"the government"', "non-member"),
    ("zorbulon", "member"), ("zorbulon", "non-member"),
    ("правительства", "non-member"), ("Regierung", "non-member"), ("gouvernement", "non-member"),
    ("政府", "non-member"), ("政府", "member"), ("佐布隆", "member"), ("حكومة", "non-member"),
]
RUNS = 7


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
    django.setup()
    from articles import access
    from articles.models import Article
    from articles.views.search import search_articles

    scopes = {
        "non-member": access.SearchScope(vectors=("search_public",), texts=("free_text",)),
        "member": access.SearchScope(vectors=("search_public", "search_members"), texts=("free_text", "members_text")),
    }
    print(f"{Article.objects.count():,} articles; median of {RUNS}")
    print(f"{'query':<18} {'reader':<11} {'wall ms':>8} {'CPU ms':>7} {'results':>8}")
    for query, reader in QUERIES:
        walls, cpus = [], []
        for run in range(RUNS + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            results = search_articles(query, scopes[reader])
            count = results.count()
            list(results[:20])
            if run:  # the first warms the connection and the caches of this process
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        print(f"{query:<18} {reader:<11} {median(walls) * 1000:>8.1f} {median(cpus) * 1000:>7.1f} {count:>8}")


if __name__ == "__main__":
    main()

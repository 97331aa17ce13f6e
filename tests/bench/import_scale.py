"""`make bench BENCH_MODE=import-scale`: the import at scale on seed-shaped text (a title line,
four paragraphs and the publisher's chrome: `corpus.plain_text`, the shape of `seeds/`), the
corpus the import's rate was first measured on. For each size in BENCH_SCALE_SIZES
(100000,1000000), into a fresh database: a fresh import's rate and peak RSS, then the same files
imported again (all unchanged), the database's size per article, and how long a search takes the
first time, for a rare word (one article in a thousand), a common one (every article), a country
(about one in six) and a phrase, and for the rare word the old way too (the date index read
backwards, which the planner chose). The largest size is held to the smallest: a rate no lower,
peak RSS within 20%; every re-import at least 3x a fresh import.
Writes bench/import-scale.json and prints a table.
"""

import datetime as dt
import json
import os
import time

from . import corpus
from .databases import ROOT, drop_database, manage
from .imports import database_size, measure_import, measure_reimport
from .run import WORK, machine

SIZES = [int(size) for size in os.environ.get("BENCH_SCALE_SIZES", "100000,1000000").split(",")]
RESULT = ROOT / "bench" / "import-scale.json"


def seed_shaped(number: int, count: int) -> str:
    return corpus.plain_text(number)


def measure(count: int) -> dict:
    folder = corpus.generate(WORK / f"corpus-seed-{count}", count, seed_shaped, ".txt")
    db = f"newsreader_bench_seed_{count}"
    fresh = measure_import(db, folder, count, WORK)
    again = measure_reimport(db, folder, count, WORK)
    size = database_size(db, count)
    timed = manage(db, "shell", "--no-imports", "-c", "from tests.bench import import_scale; import_scale.time_searches()")
    searches = json.loads(timed.strip().splitlines()[-1])
    drop_database(db)  # a million seed-shaped articles hold ~8 GB
    return {"articles": count, "import": fresh, "reimport": again, "database_size": size, "searches": searches,
            "reimport_speedup": round(again["articles_per_s"] / fresh["articles_per_s"], 2)}


SEARCHES = {"rare word": corpus.RARE_WORD, "common word": corpus.COMMON_WORD, "country": "Kenya",
            "phrase": f'"{corpus.COMMON_WORD} in"'}


def time_searches() -> None:
    """Each search's first page for an anonymous reader, twice (ms), printed as JSON; run in the
    bench database by `manage.py shell`."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from articles import access
    from articles.models import Article
    from articles.models.search import ReadQuery
    from articles.views.search import SEARCH_CANDIDATES, search_articles

    scope, times = access.search_scope(AnonymousUser()), {}
    for name, text in SEARCHES.items():
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            found = list(search_articles(text, scope)[:20])
            runs.append(round((time.perf_counter() - started) * 1000, 1))
        times[name] = {"ms": runs, "shown": len(found)}
    query = ReadQuery(Article.objects.readings(corpus.RARE_WORD, also="en")[0])
    old_way = Article.objects.matching(query, scope.vectors).newest_first().values_list("pk", flat=True)
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '300s'")
    started = time.perf_counter()
    list(old_way[:SEARCH_CANDIDATES])
    times["rare word, the date index read backwards"] = {"ms": [round((time.perf_counter() - started) * 1000, 1)]}
    print(json.dumps(times))


def verdicts(runs: list[dict]) -> list[dict]:
    smallest, largest = runs[0], runs[-1]
    rows = [{"target": f"re-import {run['articles']:,} ≥ 3× fresh", "measured": f"{run['reimport_speedup']}×",
             "met": run["reimport_speedup"] >= 3} for run in runs]
    if largest is not smallest:
        rate, small_rate = largest["import"]["articles_per_s"], smallest["import"]["articles_per_s"]
        rss, small_rss = largest["import"]["peak_rss_mib"], smallest["import"]["peak_rss_mib"]
        rows += [
            {"target": f"rate at {largest['articles']:,} ≥ at {smallest['articles']:,} ({small_rate:,.0f}/s)",
             "measured": f"{rate:,.0f}/s", "met": rate >= small_rate},
            {"target": f"peak RSS at {largest['articles']:,} within 20% of {small_rss} MiB",
             "measured": f"{rss} MiB ({rss / small_rss - 1:+.1%})", "met": rss <= small_rss * 1.2},
        ]
    return rows


def main() -> None:
    WORK.mkdir(exist_ok=True)
    load_before = round(os.getloadavg()[0], 2)
    runs = [measure(count) for count in SIZES]
    results = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine(),
               "load_average": [load_before, round(os.getloadavg()[0], 2)], "runs": runs, "targets": verdicts(runs)}
    RESULT.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nimport at scale, seed-shaped text — {results['date']}, load average {results['load_average']}")
    for run in runs:
        fresh, again, size = run["import"], run["reimport"], run["database_size"]
        print(f"{run['articles']:>9,}: {fresh['articles_per_s']:>7,.0f}/s fresh ({fresh['seconds']:,.0f} s, peak RSS "
              f"{fresh['peak_rss_mib']} MiB), re-import {again['articles_per_s']:,.0f}/s ({run['reimport_speedup']}×), "
              f"{size['bytes_per_article']:,} bytes per article")
        for name, search in run["searches"].items():
            print(f"           search, {name}: {' then '.join(f'{ms:,} ms' for ms in search['ms'])}")
    for row in results["targets"]:
        print(f"{row['target']:<60} {row['measured']:>20}  {'met' if row['met'] else 'missed'}")


if __name__ == "__main__":
    main()

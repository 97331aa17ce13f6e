"""The issue's targets, each checked against figures measured in the same run."""

P99_LIMIT_MS = 50
# The pages are loaded the way readers load them, the same URL over and over; this row
# (every request a search no one made before, see run.py) is measured beside them with no target.
RECORD_ONLY = "each new)"


def _page(results: dict, name: str) -> dict | None:
    return next((r for r in results["pages"] if r["page"] == name and r["status"] == "measured"), None)


def _check(target: str, measured: float | None, ok, shown: str) -> dict:
    if measured is None:
        return {"target": target, "measured": "—", "verdict": "not measured"}
    return {"target": target, "measured": shown, "verdict": "met" if ok else "MISSED"}


def evaluate(results: dict, compared: dict | None = None) -> list[dict]:
    """`compared`: the results of a run at another size (100,000 for a million), each figure held to 20% of it."""
    checks = []
    for name, minimum in [("list", 0.8), ("article (anonymous)", 0.8), ("article (member)", 0.4),
                          ("search (common word)", 0.3), ("search (rare word)", 0.3),
                          ("search (common word, member)", 0.3), ("search (rare word, member)", 0.3),
                          ("search (phrase)", 0.3), ("search (filtered)", 0.3), ("country", 0.8), ("relation", 0.8),
                          ("stories", 0.8), ("story", 0.8), ("desk (member)", 0.4)]:
        row = _page(results, name)
        ratio = row and row["ratio_to_hello"]
        checks.append(_check(f"{name}: ≥ {minimum:.0%} of bare Django req/s", ratio,
                             ratio is not None and ratio >= minimum, f"{ratio:.1%}" if row else ""))
    for row in results["pages"]:
        if row["status"] == "measured":
            # Every round, not the median: a tail that shows in one round in three is a tail readers meet.
            worst = max(run["p99_ms"] for run in row["runs"])
            check = _check(f"{row['page']}: p99 < {P99_LIMIT_MS} ms, 0 errors, every round", worst,
                           worst < P99_LIMIT_MS and row["errors"] == 0, f"{worst:.1f} ms, {row['errors']} err")
            if row["page"].endswith(RECORD_ONLY):
                check["verdict"] = "for the record"
            checks.append(check)
    for deep_page in ("list page 500", "list page 5000"):
        first, deep = _page(results, "list"), _page(results, deep_page)
        ratio = first and deep and deep["rps"] / first["rps"]
        checks.append(_check(f"{deep_page.removeprefix('list ')}: ≥ 80% of page 1's req/s", ratio, ratio and ratio >= 0.8,
                             f"{ratio:.1%}" if ratio else ""))
    for reader in ("", ", member"):
        common, rare = _page(results, f"search (common word{reader})"), _page(results, f"search (rare word{reader})")
        times = common and rare and common["p99_ms"] / rare["p99_ms"]
        checks.append(_check(f"common-word search{reader} p99 ≤ 20× a rare word's", times, times and times <= 20,
                             f"{times:.1f}×" if times else ""))
    if reimport := results.get("reimport"):
        times = results["import"]["seconds"] / reimport["seconds"]
        checks.append(_check("re-import of unchanged files ≥ 3× faster than a fresh import", times, times >= 3,
                             f"{times:.1f}×"))
    share = results["import_to_copy"]
    checks.append(_check("import ≥ 25% of raw COPY", share, share >= 0.25, f"{share:.1%}"))
    if ungrouped := results.get("import_ungrouped"):
        cost = results["import"]["seconds"] / ungrouped["seconds"] - 1
        checks.append(_check("grouping into stories adds ≤ 25% to the import's time", cost, cost <= 0.25, f"{cost:+.1%}"))
    growth = results["import"]["peak_rss_mib"] / results["import_small"]["peak_rss_mib"] - 1
    checks.append(_check(f"peak RSS at {results['import']['articles']:,} within 20% of "
                         f"{results['import_small']['articles']:,}'s", growth, growth <= 0.2, f"{growth:+.1%}"))
    if compared:
        checks += _against(results, compared)
    return checks


def _against(results: dict, compared: dict) -> list[dict]:
    """Each figure within 20% of the same figure at the other size: the cost must not grow with the archive."""
    size = f"{compared['articles']:,}"
    checks = []
    rate, earlier = results["import"]["articles_per_s"], compared["import"]["articles_per_s"]
    checks.append(_check(f"import rate ≥ {size}'s ({earlier:,.0f}/s)", rate, rate >= earlier, f"{rate:,.0f}/s"))
    rss, earlier = results["import"]["peak_rss_mib"], compared["import"]["peak_rss_mib"]
    checks.append(_check(f"import peak RSS within 20% of {size}'s ({earlier} MiB)", rss, rss <= earlier * 1.2,
                         f"{rss} MiB"))
    for row in results["pages"]:
        before = _page(compared, row["page"])
        if row["status"] != "measured" or before is None or row["page"].endswith(RECORD_ONLY):
            continue
        ratio, ratio_before = row["ratio_to_hello"], before["ratio_to_hello"]
        checks.append(_check(f"{row['page']}: ratio within 20% of {size}'s ({ratio_before:.1%})", ratio,
                             ratio >= ratio_before * 0.8, f"{ratio:.1%}"))
        p99, p99_before = row["p99_ms"], before["p99_ms"]
        checks.append(_check(f"{row['page']}: p99 within 20% of {size}'s ({p99_before:.1f} ms)", p99,
                             p99 <= p99_before * 1.2, f"{p99:.1f} ms"))
    return checks

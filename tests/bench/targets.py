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


def evaluate(results: dict) -> list[dict]:
    checks = []
    for name, minimum in [("list", 0.8), ("article (anonymous)", 0.8), ("article (member)", 0.4),
                          ("search (common word)", 0.3), ("search (rare word)", 0.3),
                          ("search (common word, member)", 0.3), ("search (rare word, member)", 0.3),
                          ("stories", 0.8), ("story", 0.8)]:
        row = _page(results, name)
        ratio = row and row["ratio_to_hello"]
        checks.append(_check(f"{name}: ≥ {minimum:.0%} of bare Django req/s", ratio,
                             ratio is not None and ratio >= minimum, f"{ratio:.1%}" if row else ""))
    for row in results["pages"]:
        if row["status"] == "measured":
            check = _check(f"{row['page']}: p99 < {P99_LIMIT_MS} ms", row["p99_ms"],
                           row["p99_ms"] < P99_LIMIT_MS, f"{row['p99_ms']:.1f} ms")
            if row["page"].endswith(RECORD_ONLY):
                check["verdict"] = "for the record"
            checks.append(check)
    first, deep = _page(results, "list"), _page(results, "list page 500")
    ratio = first and deep and deep["rps"] / first["rps"]
    checks.append(_check("page 500: ≥ 80% of page 1's req/s", ratio, ratio and ratio >= 0.8,
                         f"{ratio:.1%}" if ratio else ""))
    for reader in ("", ", member"):
        common, rare = _page(results, f"search (common word{reader})"), _page(results, f"search (rare word{reader})")
        times = common and rare and common["p99_ms"] / rare["p99_ms"]
        checks.append(_check(f"common-word search{reader} p99 ≤ 20× a rare word's", times, times and times <= 20,
                             f"{times:.1f}×" if times else ""))
    rate = results["import"]["articles_per_s"]
    checks.append(_check("import ≥ 3,000 articles/s", rate, rate >= 3000, f"{rate:,.0f}/s"))
    share = results["import_to_copy"]
    checks.append(_check("import ≥ 25% of raw COPY", share, share >= 0.25, f"{share:.1%}"))
    if ungrouped := results.get("import_ungrouped"):
        cost = results["import"]["seconds"] / ungrouped["seconds"] - 1
        checks.append(_check("grouping into stories adds ≤ 25% to the import's time", cost, cost <= 0.25, f"{cost:+.1%}"))
    growth = results["import"]["peak_rss_mib"] / results["import_small"]["peak_rss_mib"] - 1
    checks.append(_check(f"peak RSS at {results['import']['articles']:,} within 20% of "
                         f"{results['import_small']['articles']:,}'s", growth, growth <= 0.2, f"{growth:+.1%}"))
    return checks

"""HTTP load with wrk (Debian's package): one run of one URL, read back as numbers."""

import json
import os
import subprocess
from pathlib import Path

REPORT_SCRIPT = Path(__file__).with_name("report.lua")


def run_wrk(url: str, *, seconds: int, connections: int, threads: int = 2, cookie: str = "", fresh: bool = False) -> dict:
    """`fresh`: every request a query string no one has asked for (a search from a random past date)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(REPORT_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    env = os.environ | ({"BENCH_FRESH": "1"} if fresh else {})
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True, env=env).stdout
    numbers = json.loads(output.strip().splitlines()[-1])
    seconds_taken = numbers["duration_us"] / 1e6
    return {
        "requests": numbers["requests"],
        "rps": round(numbers["requests"] / seconds_taken, 1),
        "p50_ms": round(numbers["p50_us"] / 1000, 2),
        "p99_ms": round(numbers["p99_us"] / 1000, 2),
        "errors": numbers["errors"] + numbers["non_2xx_3xx"],
    }

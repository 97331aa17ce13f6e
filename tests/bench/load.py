"""HTTP load with wrk (Debian's package): one run of one URL, read back as numbers."""

import json
import subprocess
from pathlib import Path

REPORT_SCRIPT = Path(__file__).with_name("report.lua")


def run_wrk(url: str, *, seconds: int, connections: int, threads: int = 2, cookie: str = "") -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(REPORT_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    numbers = json.loads(output.strip().splitlines()[-1])
    seconds_taken = numbers["duration_us"] / 1e6
    return {
        "requests": numbers["requests"],
        "rps": round(numbers["requests"] / seconds_taken, 1),
        "p50_ms": round(numbers["p50_us"] / 1000, 2),
        "p99_ms": round(numbers["p99_us"] / 1000, 2),
        "errors": numbers["errors"] + numbers["non_2xx_3xx"],
    }

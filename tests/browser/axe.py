"""axe-core (npm's `axe-core`, installed by `make test`) run inside a Chromium page."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}  # contrast failures are "serious"


def violations(page):
    """axe's serious and critical violations on the page as it stands, as readable lines."""
    assert AXE.exists(), f"{AXE} is missing: run `make test` (it runs npm ci)"
    # Evaluated by the browser's debugging protocol: the site's Content-Security-Policy, rightly,
    # refuses an inline <script> (what `add_script_tag` would add).
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} — {', '.join(' '.join(n['target']) for n in v['nodes'][:5])}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]

"""axe-core (Deque's accessibility engine, installed by scripts/test.sh) run in a page: the WCAG 2.1 A and AA
rules, and what they find, told by rule id, the elements and how to fix it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " | " + (n.failureSummary || "").split("\\n").slice(1).join(" "))}));
}"""


@cache
def _source() -> str:
    if not AXE_SCRIPT.is_file():
        raise RuntimeError(f"axe-core is not installed at {AXE_SCRIPT.relative_to(ROOT)}: run scripts/test.sh")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def _inject(page) -> None:
    # An expression evaluated by the browser's debugger protocol: the page's CSP (no inline scripts) allows it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())


def violations(page) -> list[dict]:
    _inject(page)
    return page.evaluate(RUN, TAGS)


def rules_checked(page) -> list[str]:
    """The ids of the rules a run with TAGS checks."""
    _inject(page)
    return page.evaluate("(tags) => axe.getRules(tags).map((r) => r.ruleId)", TAGS)


def describe(found: dict[str, list[dict]]) -> str:
    """One block per screen: each rule broken there, its impact, and the first elements that break it."""
    lines = []
    for screen, broken in found.items():
        lines.append(f"{screen}: {', '.join(v['id'] for v in broken)}")
        for v in broken:
            lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {node}" for node in v["nodes"])
    return "\n".join(lines)

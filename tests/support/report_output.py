"""Reading back what the report and summary commands show: the numbers of
the report page's tables (cells with a data-key attribute), the data of its
plotly charts, and the summary's printed tables. Used by test_report,
test_summary, test_report_quality and test_buying_groups_views."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

REPORT = [sys.executable, "-m", "engagement_scoring", "report"]


class KeyedText(HTMLParser):
    """The text of every element carrying a data-key attribute, by key."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        key = dict(attrs).get("data-key")
        if key is not None:
            self._open = key
            self.values[key] = ""

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.values[self._open] += data


def number(text: str) -> int | float:
    """A number as the page shows it (thousands separators, decimals with a point)."""
    plain = text.replace(",", "")
    return float(plain) if "." in plain else int(plain)


def keyed_numbers(page: str, prefix: str) -> dict[str, int | float]:
    """The numbers shown under data-keys starting with prefix, by the rest of the key."""
    parser = KeyedText()
    parser.feed(page)
    return {key[len(prefix):]: number(text)
            for key, text in parser.values.items() if key.startswith(prefix)}


def figures(page: str) -> list[tuple[list, dict]]:
    """(traces, layout) of every Plotly.newPlot call of the page, in page order."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', page):
        traces, end = decoder.raw_decode(page, match.end())
        layout_start = re.compile(r",\s*").match(page, end).end()
        layout, _ = decoder.raw_decode(page, layout_start)
        found.append((traces, layout))
    return found


def figure_titled(page: str, title: str) -> tuple[list, dict]:
    for traces, layout in figures(page):
        if layout.get("title", {}).get("text") == title:
            return traces, layout
    raise AssertionError(f"no chart titled {title!r}")


def run_report(database: Path, output: Path) -> str:
    result = subprocess.run([*REPORT, str(database), "--output", str(output)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return output.read_text(encoding="utf-8")




def printed_table(output: str, title: str) -> list[dict[str, str]]:
    """The rows of a printed table, cut at its header's column starts."""
    lines = output.splitlines()
    header = lines[lines.index(title) + 1]
    starts = [i for i, ch in enumerate(header) if ch != " " and header[i - 2:i] == "  "]
    names = [header[start:end].strip() for start, end in zip(starts, [*starts[1:], None])]
    rows = []
    for line in lines[lines.index(title) + 2:]:
        if not line.strip():
            break
        rows.append({name: line[start:end].strip() for name, start, end
                     in zip(names, starts, [*starts[1:], None], strict=True)})
    return rows

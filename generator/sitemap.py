"""``sitemap.xml`` and ``sitemap.xml.gz`` of every page, dated by the build's "now".

mkdocs writes one for the pages it renders; statusgen renders some pages from its cache
and splits the rest between processes, so it writes the sitemap of the whole site itself,
in the same form.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape


def write_sitemap(out: Path, base_url: str, paths: Iterable[str], now: datetime) -> None:
    day = now.astimezone(UTC).strftime("%Y-%m-%d")
    entries = "".join(
        f"    <url>\n         <loc>{escape(base_url + path)}</loc>\n"
        f"         <lastmod>{day}</lastmod>\n    </url>\n"
        for path in paths
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>"
    ).encode()
    (out / "sitemap.xml").write_bytes(text)
    with (
        (out / "sitemap.xml.gz").open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=int(now.timestamp())) as stream,
    ):
        stream.write(text)

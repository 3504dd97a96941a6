"""``sitemap.xml`` and ``sitemap.xml.gz`` of every page, dated by the build's "now".

mkdocs writes one for the pages it renders; statusgen renders some pages from its cache
and splits the rest between processes, so it writes the sitemap of the whole site itself,
in the same form.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from datetime import UTC
from xml.sax.saxutils import escape

from generator.core import routes
from generator.core.times import gzip_time
from generator.outputs import Context, File


def files(context: Context) -> Iterator[File]:
    """``sitemap.xml`` and its gzipped copy."""
    # dated by the day, so that a rebuild the same day changes neither file (publish sends
    # only what changed)
    day_start = context.site.now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    day = day_start.strftime("%Y-%m-%d")
    entries = "".join(
        f"    <url>\n         <loc>{escape(context.routes.url(path))}</loc>\n"
        f"         <lastmod>{day}</lastmod>\n    </url>\n"
        for path in context.pages
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>"
    ).encode()
    yield routes.sitemap(), text
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=gzip_time(day_start)) as out:
        out.write(text)
    yield routes.sitemap_gz(), packed.getvalue()

"""Command palette: jump to any place by English, 汉字 or pinyin name."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from lstui.core import queries

HITS = 40  # places offered per query; DuckDB does the matching, as in the Cities filter


class PlacesProvider(Provider):
    async def search(self, query: str) -> Hits:
        app = self.app
        data = getattr(app, "data", None)
        if data is None or not query.strip():
            return
        matcher = self.matcher(query)
        # DuckDB answers on a thread with its own cursor: the palette keeps up with typing
        rows = await asyncio.to_thread(lambda: queries.search_places(data.cursor(), text=query, sort="match",
                                                                     limit=HITS))
        for rank, place in enumerate(rows):
            label = f"Go to {place.name_en} {place.name_zh} ({place.pinyin})"
            # DuckDB's order (whole-name and prefix matches first) decides; the matcher only highlights.
            score = max(matcher.match(label), 1.0 - rank / (2 * HITS))
            yield Hit(score, matcher.highlight(label), partial(app.go_to_place, place.id),  # type: ignore[attr-defined]
                      text=label, help=place.province_en or "")

    async def discover(self) -> Hits:
        app = self.app
        data = getattr(app, "data", None)
        if data is None:
            return
        places = await asyncio.to_thread(lambda: queries.search_places(data.cursor(), sort="match", limit=20))
        for place in places:
            label = f"Go to {place.name_en} {place.name_zh}"
            yield DiscoveryHit(Text(label), partial(app.go_to_place, place.id), text=label,  # type: ignore[attr-defined]
                               help=place.province_en or "")

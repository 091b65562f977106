"""Command palette: jump to any place by English, 汉字 or pinyin name."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from lstui.core.search import search_key


class PlacesProvider(Provider):
    async def search(self, query: str) -> Hits:
        app = self.app
        if getattr(app, "data", None) is None:
            return
        key = search_key(query)
        matcher = self.matcher(query)
        for place in app.data.places().values():  # type: ignore[attr-defined]
            label = f"Go to {place.name_en} {place.name_zh} ({place.pinyin})"
            haystack = search_key(f"{place.id}{place.name_en}{place.pinyin}{place.name_zh}")
            score = matcher.match(label)
            if key and key in haystack:
                score = max(score, 0.9 if haystack.startswith(key) else 0.6)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(app.go_to_place, place.id),  # type: ignore[attr-defined]
                          text=label, help=place.path_en)

    async def discover(self) -> Hits:
        app = self.app
        if getattr(app, "data", None) is None:
            return
        for place in list(app.data.places().values())[:20]:  # type: ignore[attr-defined]
            label = f"Go to {place.name_en} {place.name_zh}"
            yield DiscoveryHit(Text(label), partial(app.go_to_place, place.id), text=label,  # type: ignore[attr-defined]
                               help=place.path_en)

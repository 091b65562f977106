"""Citations: each figure with its source and locator, or a place's sources, in four styles.

The styles are plain text (for people, and for the app's clipboard), BibTeX, CSL-JSON (what
Zotero, Pandoc and citeproc read) and RIS. A date the source does not give stays unknown: its
fields are left out, never filled with a guessed year. How a figure reads ("≥¥100bn by 2025")
is decided by the caller, which passes `figure`, so that a citation words a figure as every
table does.
"""

from __future__ import annotations

import json
import re
from typing import Callable, NamedTuple, Sequence, Union

from lstui.core import queries
from lstui.core.errors import LstuiError
from lstui.core.models import Fact, Place, Source
from lstui.core.textsafe import json_safe, visible
from lstui.core.vocab import LANGUAGE_WORDS

STYLES = ("text", "bibtex", "csl-json", "ris")


class Reference(NamedTuple):
    """A source as it is cited, with what it reproduces or reports when the dataset has those."""

    source: Source
    original: Source | None = None  # what a reprint or translation reproduces
    reported: Source | None = None  # the government document the text reports


class FigureCitation(NamedTuple):
    fact: Fact
    place_en: str
    place_zh: str
    reference: Reference
    also: tuple[tuple[str, str], ...] = ()  # further reports of the same record: (source id, locator)


class Cited(NamedTuple):
    """What `lstui cite` found: figures (a fact id, or every tier of an incentive), or a place's sources."""

    figures: tuple[FigureCitation, ...] = ()
    place: Place | None = None
    sources: tuple[Reference, ...] = ()

    @property
    def entries(self) -> tuple:
        return self.figures + self.sources


Entry = Union[FigureCitation, Reference]
Figure = Callable[[Fact], str]  # a figure's value as the caller words it


# ------------------------------------------------------------------------------------ lookups


def lookup(con, name: str) -> Cited:
    """The figure (fact id), the tiers of an incentive (its id) or the place (as `lstui show`
    resolves names) that `name` names; LstuiError with a suggestion when it names none."""
    name = name.strip()
    figures = figure_citations(con, [name])
    if figures:
        return Cited(figures=tuple(figures))
    try:
        place_id = queries.find_place_id(con, name)
    except LstuiError as exc:
        if not str(exc).startswith("no place called"):  # several places match, or no name: as `show` says
            raise
        raise LstuiError(_unknown(con, name)) from None
    return place_sources(con, place_id)


def lookup_all(con, words: Sequence[str]) -> Cited:
    """What the words name together ("Huadu District"), or else each of them (several ids or
    places), their entries in the order asked for, each once."""
    whole = " ".join(words)
    try:
        return lookup(con, whole)
    except LstuiError as exc:
        if len(words) < 2:
            raise
        whole_error = exc
    found, failed = [], []
    for word in words:
        try:
            found.append(lookup(con, word))
        except LstuiError as exc:
            failed.append(exc)
    if not found:
        raise whole_error
    if failed:
        raise failed[0]
    if len(found) == 1:
        return found[0]
    figures = {f.fact.fact_id: f for c in found for f in c.figures}
    sources = {r.source.id: r for c in found for r in c.sources}
    return Cited(figures=tuple(figures.values()), sources=tuple(sources.values()))


def _unknown(con, name: str) -> str:
    from lstui.core.suggest import close_matches

    ids = [i for (i,) in con.execute("SELECT fact_id FROM facts UNION SELECT record_id FROM facts "
                                     "ORDER BY 1").fetchall()]
    hints = close_matches(name, ids, n=3) + [f"{pid} ({en}, {zh})" for pid, en, zh in
                                             queries.suggest_places(con, name, n=3)]
    hint = f"; did you mean {', '.join(hints)}?" if hints else \
        "; `lstui show PLACE` lists a place's figures with their ids"
    return f"no figure or place called '{name}'{hint}"


FIGURE_SQL = (f"SELECT {queries.FACT_COLUMNS}, j.name_en, j.name_zh FROM {queries.FACT_FROM} "
              "JOIN internal.jurisdictions j ON j.id = f.jurisdiction_id "
              "WHERE list_contains($ids, f.fact_id) OR list_contains($ids, f.record_id) "
              "ORDER BY f.record_id, length(f.fact_id), f.fact_id")  # an incentive's tiers in their order
ALSO_SQL = ("SELECT record_id, source_id, locator FROM citations "
            "WHERE list_contains($records, record_id) AND NOT primary_citation ORDER BY record_id, source_id, locator")


def figure_citations(con, ids: Sequence[str]) -> list[FigureCitation]:
    """These figures (fact ids; an incentive's id stands for each of its tiers), in the order
    asked for, each with its source and the further reports of its record."""
    rows = con.execute(FIGURE_SQL, {"ids": list(ids)}).fetchall()
    order = {fid: n for n, fid in enumerate(ids)}
    rows.sort(key=lambda r: order.get(r[0], order.get(r[1], len(order))))
    facts = [(Fact(*r[:-2]), r[-2], r[-1]) for r in rows]
    also: dict[str, list[tuple[str, str]]] = {}
    records = sorted({f.record_id for f, _, _ in facts})
    for record, source, locator in con.execute(ALSO_SQL, {"records": records}).fetchall() if facts else ():
        also.setdefault(record, []).append((source, locator))
    refs = references(con, [f.source_id for f, _, _ in facts])
    return [FigureCitation(f, en, zh, refs[f.source_id], tuple(also.get(f.record_id, ()))) for f, en, zh in facts]


def references(con, source_ids: Sequence[str]) -> dict[str, Reference]:
    """These sources by id, each with the original it reproduces and the document it reports."""
    sources = {s.id: s for s in queries.sources(con, sorted(set(source_ids)))}
    linked = {i for s in sources.values() for i in (s.reprint_of, s.translation_of, s.reports) if i}
    others = {s.id: s for s in queries.sources(con, sorted(linked))} if linked else {}
    return {sid: Reference(s, others.get(s.reprint_of or s.translation_of or ""), others.get(s.reports or ""))
            for sid, s in sources.items()}


def place_sources(con, place_id: str) -> Cited:
    """A place's sources: those behind everything `lstui show` lists for it."""
    detail = queries.place_detail(con, place_id)
    refs = references(con, [s.id for s in detail.sources])
    return Cited(place=detail.place, sources=tuple(refs[s.id] for s in detail.sources))


# ------------------------------------------------------------------------------------ wording


def date_parts(published: str | None) -> tuple[int, ...]:
    """(2020,), (2020, 6) or (2020, 6, 23) from a partial date; () when the date is unknown."""
    parts = (published or "").split("-")
    if not all(p.isdigit() for p in parts):
        return ()
    return tuple(int(p) for p in parts[:3])


def figure_label(f: Fact) -> str:
    """What a figure is about: its metric's label (and subject), or an event's name."""
    what = f.label or f.subject or f.metric or f.record_id
    if f.subject and f.label and f.kind != "event":
        what += f" ({f.subject})"
    if f.kind == "incentive" and "#" in f.fact_id:
        what += f", tier {f.fact_id.rsplit('#', 1)[1]}"
    return what


def figure_line(c: FigureCitation, figure: Figure) -> str:
    """"Shenzhen 深圳 · target · E-commerce sales: >¥300bn by 2025"."""
    said = figure(c.fact)
    return f"{c.place_en} {c.place_zh} · {c.fact.kind} · {figure_label(c.fact)}" + (f": {said}" if said else "")


def source_words(s: Source, locator: str | None = None) -> str:
    """'Publisher, "Title", 2020-06-23, para 5. URL' (the date as far as it is known)."""
    parts = [s.publisher, f"\u201c{s.title}\u201d", s.published or "date unknown"]
    if s.language != "en":
        parts.append(f"in {LANGUAGE_WORDS[s.language]}")
    if locator:
        parts.append(locator)
    return ", ".join(parts) + "." + (f" {s.url}" if s.url else "")


def _origin_lines(ref: Reference) -> list[str]:
    s, lines = ref.source, []
    if s.kind in ("reprint", "translation"):
        what = f"{s.kind} of {s.original_publisher}"
        lines.append(f"{what}: {source_words(ref.original)}" if ref.original else what)
    if s.original_url and not (ref.original and ref.original.url == s.original_url):
        lines.append(f"original: {s.original_url}")
    if ref.reported is not None:
        lines.append(f"reports on: {source_words(ref.reported)}")
    return lines


def _origin_note(ref: Reference) -> str:
    """The same, in a sentence for a note field."""
    return "; ".join(_origin_lines(ref))


def _clean(value: str) -> str:
    """One line, nothing a terminal or a bibliography tool would take for a command."""
    return visible(" ".join(str(value).split()))


# -------------------------------------------------------------------------------------- text


def text(entries: Sequence[Entry], figure: Figure) -> str:
    return "\n\n".join(_text_entry(e, figure) for e in entries) + ("\n" if entries else "")


def _text_entry(e: Entry, figure: Figure) -> str:
    """The entry's first line, and the lines under it indented."""
    if isinstance(e, Reference):
        lines = [f"{e.source.id}: {source_words(e.source)}", *_origin_lines(e)]
    else:
        lines = [f"{figure_line(e, figure)} [{e.fact.fact_id}]", source_words(e.reference.source, e.fact.locator),
                 *_origin_lines(e.reference)]
        if e.also:
            lines.append("also reported in: " + "; ".join(f"{sid} ({loc})" for sid, loc in e.also))
    return "\n".join(("  " if n else "") + _clean(line) for n, line in enumerate(lines))


# ------------------------------------------------------------------- the bibliographic styles


def _parts(e: Entry, figure: Figure) -> tuple[str, Reference, str]:
    """Each entry's key, its reference and its note (the figure, its locator, its origins)."""
    if isinstance(e, Reference):
        return e.source.id, e, _origin_note(e)
    note = [f"{figure_line(e, figure)} (lstui fact {e.fact.fact_id})", f"locator: {e.fact.locator}"]
    note += [x for x in (_origin_note(e.reference),) if x]
    if e.also:
        note.append("also reported in: " + ", ".join(f"{sid} ({loc})" for sid, loc in e.also))
    return e.fact.fact_id, e.reference, "; ".join(note)


CSL_TYPES = {"government_document": "document", "official_media": "article-newspaper",
             "news_report": "article-newspaper", "reprint": "webpage", "translation": "webpage"}
RIS_TYPES = {"government_document": "GOVDOC", "official_media": "NEWS", "news_report": "NEWS",
             "reprint": "ELEC", "translation": "ELEC"}


def _language(s: Source) -> str | None:
    return s.language if s.language in ("en", "zh", "zh-Hant") else None  # BCP 47 tags; 'other' says none


def bibtex_key(key: str) -> str:
    """A key BibTeX accepts: an incentive's tier 'id#2' becomes 'id:2'."""
    return re.sub(r"[^A-Za-z0-9_.:+/-]+", "-", key.replace("#", ":"))


TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "%": r"\%",
                "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_TEX = re.compile("|".join(re.escape(k) for k in TEX_SPECIALS))


def tex(value: str) -> str:
    """A field's text with TeX's special characters escaped. A brace in the text is written as a
    command, since BibTeX counts even an escaped brace, and one alone would end the field."""
    return _TEX.sub(lambda m: TEX_SPECIALS[m.group()], _clean(value))


def bibtex_url(url: str) -> str:
    """A URL as the url field takes it (verbatim), with braces, which would end the field, encoded."""
    return _clean(url).replace("{", "%7B").replace("}", "%7D")


def bibtex(entries: Sequence[Entry], figure: Figure) -> str:
    return "\n".join(_bibtex_entry(*_parts(e, figure)) for e in entries)


def _bibtex_entry(key: str, ref: Reference, note: str) -> str:
    s = ref.source
    date = date_parts(s.published)
    fields = [("author", "{" + tex(s.publisher) + "}"), ("title", tex(s.title))]
    if date:
        fields += [("year", str(date[0])), ("date", "-".join(f"{n:02d}" for n in date))]
    if s.url:
        fields.append(("url", bibtex_url(s.url)))
    if _language(s) and s.language != "en":  # printed by biblatex ("in Chinese"); English goes without saying
        fields.append(("language", tex(LANGUAGE_WORDS[s.language])))
    if s.original_publisher:
        fields.append(("origpublisher", tex(s.original_publisher)))
    if ref.original is not None:
        fields.append(("origtitle", tex(ref.original.title)))
        if date_parts(ref.original.published):
            fields.append(("origdate", "-".join(f"{n:02d}" for n in date_parts(ref.original.published))))
    if note:
        fields.append(("note", tex(note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(key)},\n{body}\n}}\n"


def csl_items(entries: Sequence[Entry], figure: Figure) -> list[dict]:
    return [_csl_item(*_parts(e, figure), e) for e in entries]


def _csl_item(key: str, ref: Reference, note: str, e: Entry) -> dict:
    s = ref.source
    item: dict = {"id": key, "type": CSL_TYPES[s.kind], "title": s.title, "author": [{"literal": s.publisher}],
                  "publisher": s.publisher}
    if CSL_TYPES[s.kind] == "article-newspaper":
        item["container-title"] = s.publisher
    if date_parts(s.published):
        item["issued"] = {"date-parts": [list(date_parts(s.published))]}
    if s.url:
        item["URL"] = s.url
    if _language(s):
        item["language"] = _language(s)
    if s.original_publisher:
        item["original-publisher"] = s.original_publisher
    if ref.original is not None:
        item["original-title"] = ref.original.title
        if date_parts(ref.original.published):
            item["original-date"] = {"date-parts": [list(date_parts(ref.original.published))]}
    if note:
        item["note"] = note
    custom = {"source_id": s.id}
    if isinstance(e, FigureCitation):
        custom.update(fact_id=e.fact.fact_id, locator=e.fact.locator)
    item["custom"] = custom
    return item


def csl_json(entries: Sequence[Entry], figure: Figure) -> str:
    return json_safe(json.dumps(csl_items(entries, figure), ensure_ascii=False, indent=2)) + "\n"


def ris(entries: Sequence[Entry], figure: Figure) -> str:
    return "".join(_ris_entry(*_parts(e, figure)) for e in entries)


def _ris_entry(key: str, ref: Reference, note: str) -> str:
    s = ref.source
    date = date_parts(s.published)
    tags = [("TY", RIS_TYPES[s.kind]), ("ID", key), ("AU", s.publisher), ("TI", s.title), ("PB", s.publisher)]
    if date:
        # RIS dates are YYYY/MM/DD/other, with the parts not known left empty
        tags += [("PY", str(date[0])), ("DA", "/".join([f"{n:02d}" for n in date] + [""] * (4 - len(date))))]
    if s.url:
        tags.append(("UR", s.url))
    if _language(s):
        tags.append(("LA", _language(s)))
    if s.original_publisher:
        tags.append(("OP", s.original_publisher))
    if note:
        tags.append(("N1", note))
    return "".join(f"{tag}  - {_clean(value)}\n" for tag, value in tags) + "ER  - \n\n"


FORMATTERS = {"text": text, "bibtex": bibtex, "csl-json": csl_json, "ris": ris}


def cite(entries: Sequence[Entry], style: str, figure: Figure) -> str:
    """The entries in a style of STYLES."""
    return FORMATTERS[style](entries, figure)

"""The benchmarks' synthetic datasets pass the checks and carry every kind of record the shipped
data has, the model's extensions included, so that scale figures measure the real shapes."""

from __future__ import annotations

import yaml

from benchmarks.synth import write
from lstui.core.build import build


def test_a_synthetic_copy_builds_and_keeps_the_new_fields(tmp_path):
    data = write(2, tmp_path / "synth.yaml")
    build(data, tmp_path / "synth.duckdb")
    d = yaml.safe_load(data.read_text(encoding="utf-8"))
    tiers = [t for i in d["incentives"] for t in i.get("tiers") or []]
    assert any(t.get("steps") for t in tiers) and any(t.get("share") for t in tiers) and any(t.get("level") for t in tiers)
    assert any(c.get("listed_on") for t in tiers for c in t.get("conditions") or [])
    assert {j["level"] for j in d["jurisdictions"]} >= {"town", "special_zone", "county", "village"}
    follows = [p["follows"] for p in d["policies"] if p.get("follows")]
    ids = {p["id"] for p in d["policies"]}
    assert follows and all(f in ids for f in follows)
    assert any(t.get("increment") for t in d["targets"])

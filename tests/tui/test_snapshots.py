"""Every tab at 80x24 (an SSH session) and 120x36, compared with the committed snapshots.

Update after an intended change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from scripts.screenshots import SHOTS, show_tab

SIZES = [(80, 24), (120, 36)]
pytestmark = pytest.mark.slow  # whole screens, pixel for pixel: run them before committing


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("tab", SHOTS)
def test_tab_snapshot(tab, size, snap_compare, make_app):
    async def run_before(pilot):
        await show_tab(pilot, tab)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

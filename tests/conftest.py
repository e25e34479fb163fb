from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_SPECS = ROOT / "fixtures" / "seeds"
SHARED = Path(os.environ.get("CLEANER_SHARED", ROOT.parent / "shared"))


def seed_cases() -> list[tuple[str, dict]]:
    cases = []
    for spec_path in sorted(SEED_SPECS.glob("*.expected.json")):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        cases.append((spec["source"], spec))
    return cases


def pytest_collection_modifyitems(config, items):
    if (SHARED / "data").is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the shared data folder at {SHARED} (set CLEANER_SHARED)")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()

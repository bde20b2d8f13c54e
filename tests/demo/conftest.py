"""The demo is generated once per session; tests read its files with plain json/csv/openpyxl, as an
outside tool would, so they check the formats and not our own readers."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from fandesk.demo.generate import DemoManifest, generate_demo_files


@dataclass
class DemoFiles:
    manifest: DemoManifest
    classic_notes: list[dict]
    classic_comments: list[dict]
    creators: list[dict]
    csv_notes: list[dict]
    csv_comments: list[dict]
    teaching_notes: list[dict]
    teaching_comments: list[dict]
    api: dict[str, object]  # file name -> parsed payload

    def path(self, name: str) -> Path:
        return next(p for job in self.manifest.jobs for p in job.paths if p.name == name)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[dict]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> DemoFiles:
    manifest = generate_demo_files(tmp_path_factory.mktemp("demo"), seed=7)
    jobs = manifest.jobs
    classic, search, teaching, api = jobs[0], jobs[1], jobs[2], jobs[3]
    return DemoFiles(
        manifest=manifest,
        classic_notes=read_jsonl(classic.paths[0]),
        classic_comments=read_jsonl(classic.paths[1]),
        creators=json.loads(classic.paths[2].read_text(encoding="utf-8")),
        csv_notes=read_csv(search.paths[0]),
        csv_comments=read_csv(search.paths[1]),
        teaching_notes=json.loads(teaching.paths[0].read_text(encoding="utf-8")),
        teaching_comments=json.loads(teaching.paths[1].read_text(encoding="utf-8")),
        api={p.name: json.loads(p.read_bytes()) for p in api.paths},
    )

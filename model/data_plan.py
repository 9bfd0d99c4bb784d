"""Which labelled ads train the default model, which choose its threshold, and which test it.

`labelled_data/plan.toml` names, for each role, labelled-data files (globs under `labelled_data/`) and
slices of the real public data sets shipped in `datasets/` (imported in memory by their importers).
Real data sets are split by a hash of each near-duplicate cluster, so a reposted poster never sits on
two sides and the split is the same on every machine.

The rule behind the roles (../shared/DECISIONS.md, round 2): ads of the writers kept for testing are
never used to fit, to pick features or thresholds, or to choose between models. `training_records`
refuses any record marked `split: test`, whatever file it comes from.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from model.datasets import IMPORTERS
from model.datasets.vendored import ID_INSTAGRAM_LOKER_JSONL, ID_SMS_SPAM_CSV
from model.labelled import LabelledAd, parse_labelled_record, read_labelled_jsonl
from model.splits import near_duplicate_clusters

LABELLED_DATA = Path(__file__).resolve().parents[1] / "labelled_data"
PLAN_FILE = LABELLED_DATA / "plan.toml"
ROLES = ("train", "validation", "test")
# The real data sets the plan may name, with the vendored file each importer reads.
REAL_DATASETS: dict[str, Path] = {"id-instagram-loker": ID_INSTAGRAM_LOKER_JSONL, "id-sms-spam": ID_SMS_SPAM_CSV}


class DataPlanError(ValueError):
    """The plan names something that is not there, or puts test ads where training reads."""


@dataclass(frozen=True)
class RoleData:
    """The records of one role, and where they came from (for the model card)."""

    role: str
    records: tuple[LabelledAd, ...]
    sources: tuple[str, ...]


def real_split_role(cluster_key: str, shares: Sequence[int]) -> str:
    """train / validation / test for a real ad's near-duplicate cluster, from a hash of its first id."""
    bucket = int(hashlib.sha256(cluster_key.encode("utf-8")).hexdigest(), 16) % sum(shares)
    if bucket < shares[0]:
        return "train"
    return "validation" if bucket < shares[0] + shares[1] else "test"


@lru_cache(maxsize=4)
def _real_records(dataset: str, shares: tuple[int, int, int]) -> dict[str, tuple[LabelledAd, ...]]:
    """Every record of a vendored real data set, by role."""
    path = REAL_DATASETS[dataset]
    result = IMPORTERS[dataset](path)
    records = [parse_labelled_record(raw, f"{dataset} {raw.get('id')}") for raw in result.records]
    clusters = near_duplicate_clusters([record.text for record in records])
    first_id: dict[int, str] = {}
    for record, cluster in zip(records, clusters, strict=True):
        first_id.setdefault(cluster, record.id)
    by_role: dict[str, list[LabelledAd]] = {role: [] for role in ROLES}
    for record, cluster in zip(records, clusters, strict=True):
        by_role[real_split_role(first_id[cluster], shares)].append(record)
    return {role: tuple(items) for role, items in by_role.items()}


@dataclass(frozen=True)
class DataPlan:
    """The parsed plan: per role, file globs and real-data slices (`dataset:role`)."""

    files: dict[str, tuple[str, ...]]
    real: dict[str, tuple[str, ...]]
    shares: tuple[int, int, int]
    base: Path

    def role(self, role: str) -> RoleData:
        """The records of one role, in plan order; ids are unique across them."""
        records: list[LabelledAd] = []
        sources: list[str] = []
        for pattern in self.files.get(role, ()):
            paths = sorted(self.base.glob(pattern))
            if not paths:
                raise DataPlanError(f"{PLAN_FILE.name}: [{role}] names {pattern!r}, which matches no file")
            for path in paths:
                records.extend(read_labelled_jsonl(path))
                sources.append(str(path.relative_to(self.base.parent)))
        for entry in self.real.get(role, ()):
            dataset, _, part = entry.partition(":")
            if dataset not in REAL_DATASETS or part not in ROLES:
                raise DataPlanError(f"{PLAN_FILE.name}: [{role}] real entry {entry!r} is not DATASET:ROLE "
                                    f"with DATASET in {sorted(REAL_DATASETS)}")
            records.extend(_real_records(dataset, self.shares)[part])
            sources.append(f"datasets/{dataset} ({part} split)")
        ids = [record.id for record in records]
        if len(ids) != len(set(ids)):
            raise DataPlanError(f"{PLAN_FILE.name}: [{role}] holds an id twice")
        return RoleData(role, tuple(records), tuple(sources))


def load_plan(path: Path = PLAN_FILE) -> DataPlan:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataPlanError(f"cannot read the data plan {path}: {exc}") from exc
    shares_table = raw.get("real_split", {}).get("shares", {"train": 6, "validation": 2, "test": 2})
    shares = (int(shares_table["train"]), int(shares_table["validation"]), int(shares_table["test"]))
    return DataPlan(files={role: tuple(raw.get(role, {}).get("files", ())) for role in ROLES},
                    real={role: tuple(raw.get(role, {}).get("real", ())) for role in ROLES},
                    shares=shares, base=path.parent)


def training_records(records: Sequence[LabelledAd]) -> list[LabelledAd]:
    """Records a model may learn from: refuses held-out test ads, wherever they were found."""
    held_out = [record.id for record in records if record.extra.get("split") == "test"]
    if held_out:
        raise DataPlanError(f"{len(held_out)} ad(s) marked split=test (e.g. {held_out[0]}) were given for training; "
                            "held-out writers are never trained on (see labelled_data/plan.toml)")
    return list(records)

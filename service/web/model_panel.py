"""The dashboard's honest model panel: what the active model does on ads it never learned from, in Bahasa.

Each figure comes with one sentence on what it means. Only held-out figures are shown (writers the model
never saw, real ads, the bare baseline on the same ads) and, once analysts have decided flagged ads, how
many of them they confirmed: the one figure measured on this desk's own traffic.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.review.dashboard import Confirmed
from service.scoring.model_info import ActiveModel, HeldOutFigures


@dataclass(frozen=True)
class Figure:
    name: str
    value: str
    meaning: str
    key: str  # a stable id for the page (tests and styling), never shown


@dataclass(frozen=True)
class ModelPanel:
    written: list[Figure]  # writers the model never saw
    real: list[Figure]  # real ads nobody on the team wrote
    baseline: Figure | None
    confirmed: Figure
    threshold: Figure


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100):d}%"


def _decimal(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def _written(figures: HeldOutFigures) -> list[Figure]:
    n = f"{figures.written_ads} iklan" if figures.written_ads else "iklan"
    pairs = (f"{figures.pairs_both_right} dari {figures.pairs}" if figures.pairs else "—")
    return [
        Figure("Skor gabungan", _decimal(figures.macro_f1),
               f"Rata-rata ketepatan dan daya tangkap untuk TPPO, penipuan dan lowongan wajar (0 sampai 1, makin "
               f"besar makin baik), pada {n} tulisan penulis yang tidak pernah dilihat model.", "macro_f1"),
        Figure("Iklan mencurigakan yang tertangkap", _percent(figures.suspicious_recall),
               "Dari iklan TPPO dan penipuan tulisan penulis itu, berapa yang masuk antrean.", "suspicious_recall"),
        Figure("Iklan wajar yang ikut ditandai", _percent(figures.legit_fpr),
               "Dari lowongan wajar tulisan penulis itu, berapa yang keliru masuk antrean (makin kecil makin baik).",
               "legit_fpr"),
        Figure("Pasangan minimal yang keduanya benar", pairs,
               "Pasangan iklan yang hanya berbeda satu fakta penentu (mis. visa kerja lawan visa turis): berapa "
               "pasangan yang keduanya diputuskan benar.", "pairs"),
        Figure("Ketepatan modus", _decimal(figures.modus_macro_f1),
               "Skor gabungan untuk menebak pola (modus) iklan mencurigakan, 0 sampai 1.", "modus_macro_f1"),
        Figure("Selisih kalibrasi", _decimal(figures.ece),
               "Rata-rata selisih antara risiko yang disebut model dan seberapa sering iklan memang mencurigakan "
               "(makin kecil makin baik).", "ece"),
    ]


def _real(figures: HeldOutFigures) -> list[Figure]:
    jobs = f"{figures.real_job_ads} lowongan" if figures.real_job_ads else "lowongan"
    found = []
    if figures.real_job_ads_flagged is not None:
        found.append(Figure("Lowongan nyata yang ikut ditandai", _percent(figures.real_job_ads_flagged),
                            f"Dari {jobs} kerja nyata (poster Instagram, hampir semuanya wajar), berapa yang masuk "
                            "antrean (makin kecil makin baik).", "real_job_ads_flagged"))
    if figures.real_sms_fraud_recall is not None:
        found.append(Figure("SMS penipuan nyata yang tertangkap", _percent(figures.real_sms_fraud_recall),
                            "Dari pesan SMS penipuan nyata, berapa yang ditandai model.", "real_sms_fraud_recall"))
    return found


def _threshold(model: ActiveModel, threshold: float, threshold_set: bool) -> Figure:
    if threshold_set:
        why = "Diatur oleh pengaturan server, bukan oleh model."
    elif model.figures is not None and model.figures.written_legit_budget is not None:
        budgets = [f"{_percent(model.figures.written_legit_budget)} iklan wajar tulisan"]
        if model.figures.real_job_ads_budget is not None:
            budgets.append(f"{_percent(model.figures.real_job_ads_budget)} lowongan nyata")
        why = ("Dipilih model ini pada iklan wajar yang tidak dipakai untuk melatihnya: paling banyak "
               f"{' dan '.join(budgets)} ikut ditandai.")
    elif model.version and not model.rule_based:
        why = "Dipilih model ini pada iklan wajar yang tidak dipakai untuk melatihnya."
    else:
        why = "Ambang tetap pemberi skor berbasis aturan."
    return Figure("Ambang antrean", _percent(threshold), why, "threshold")


def _confirmed(confirmed: Confirmed) -> Figure:
    if not confirmed.decided:
        return Figure("Dikonfirmasi analis", "—", "Belum ada iklan di atas ambang yang diputuskan analis.", "confirmed")
    return Figure("Dikonfirmasi analis", _percent(confirmed.share),
                  f"Dari {confirmed.decided} iklan di atas ambang yang sudah diputuskan analis, {confirmed.confirmed} "
                  "diputuskan TPPO atau penipuan.", "confirmed")


def model_panel(model: ActiveModel, confirmed: Confirmed, threshold: float, threshold_set: bool) -> ModelPanel:
    figures = model.figures
    baseline = None
    if figures is not None and figures.baseline_macro_f1 is not None:
        baseline = Figure("Pembanding sederhana", _decimal(figures.baseline_macro_f1),
                          "Skor gabungan model kata sederhana (TF-IDF + regresi logistik) pada iklan uji yang sama, "
                          "dengan aturan ambang yang sama.", "baseline_macro_f1")
    return ModelPanel(_written(figures) if figures else [], _real(figures) if figures else [], baseline,
                      _confirmed(confirmed), _threshold(model, threshold, threshold_set))

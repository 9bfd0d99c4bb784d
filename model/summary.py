"""One line of a held-out report: what the CLI, quickstart and the model list print after training.

Kept apart from `model.evaluate` (scikit-learn's metrics) so printing a line loads nothing heavy.
"""

from __future__ import annotations

from typing import Any


def summary_line(report: dict[str, Any], review: float) -> str:
    """One line of the numbers that matter: unseen writers first, then real text."""
    written = report.get("out_of_author", {})
    pairs = written.get("slices", {}).get("contrast_pairs", {})
    real = report.get("real", {})
    parts = [f"at risk >= {review:.3f}: unseen writers macro-F1 {written.get('macro_f1')}, suspicious recall "
             f"{written.get('suspicious_recall')}, legit flagged {written.get('legit_fpr')}, minimal pairs "
             f"{pairs.get('both_right')}/{pairs.get('pairs')}, "
             f"modus macro-F1 {written.get('modus', {}).get('macro_f1')}"]
    if "instagram" in real:
        parts.append(f"real job ads flagged {real['instagram']['legit_flagged_share']}")
    if "sms" in real:
        parts.append(f"real SMS fraud recall {real['sms'].get('suspicious_recall')}")
    return "; ".join(parts)

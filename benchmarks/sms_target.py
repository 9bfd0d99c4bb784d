"""The SMS target: fraud recall and normal/promo false-positive rate on a held-out 20% of id-sms-spam.

    .venv/bin/python benchmarks/sms_target.py

Real fraud SMS written by real scammers (not job ads): fraud -> scam, normal/promo -> legit. The
model is trained on 80% (near-duplicates kept together), the threshold chosen on a validation part
of that 80% for FPR <= 5%, and measured once on the held-out 20%. Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.datasets.vendored import ID_SMS_SPAM_CSV as SMS  # noqa: E402


def main() -> None:
    import numpy as np
    from sklearn.metrics import average_precision_score, f1_score

    from model.analysis import analyse
    from model.classifier import AdClassifier
    from model.datasets.id_sms_spam import import_id_sms_spam
    from model.evaluate import choose_review_threshold
    from model.labelled import parse_labelled_record
    from model.records import AdText
    from model.splits import holdout_split, leak_free_groups

    records = [parse_labelled_record(raw, "id-sms-spam") for raw in import_id_sms_spam(SMS).records]
    analyses = analyse([AdText(r.id, r.text) for r in records])
    labels = np.asarray([r.label for r in records])
    groups = leak_free_groups([a.text for a in analyses])
    train, test = holdout_split(list(labels), groups, 0.2, seed=0)
    fit, val = holdout_split(list(labels[train]), [groups[i] for i in train], 0.25, seed=0)

    def scam_probability(fit_idx: np.ndarray, score_idx: np.ndarray) -> np.ndarray:
        model = AdClassifier().fit([analyses[i] for i in fit_idx], labels[fit_idx])
        return model.predict_proba([analyses[i] for i in score_idx])[:, list(model.classes_).index("scam")]

    threshold = choose_review_threshold(list(labels[train][val]), scam_probability(train[fit], train[val]), 0.05)
    p = scam_probability(train, test)
    truth = labels[test] == "scam"
    flagged = p >= threshold
    print(json.dumps({
        "train": len(train), "test": len(test), "threshold": round(threshold, 4),
        "fraud_recall": round(float((flagged & truth).sum() / truth.sum()), 4),
        "normal_promo_fpr": round(float((flagged & ~truth).sum() / (~truth).sum()), 4),
        "pr_auc": round(float(average_precision_score(truth, p)), 4),
        "fraud_f1": round(float(f1_score(truth, flagged)), 4),
    }))


if __name__ == "__main__":
    main()

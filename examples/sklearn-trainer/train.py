#!/usr/bin/env python3
"""A trainer Flywheel runs as a command ("bring your own trainer").

It trains a scikit-learn logistic regression (standardised numeric features, missing values
imputed with the training mean) on the dataset version Flywheel wrote for the run, logs its
params and holdout metrics through MLflow's REST API (urllib, no mlflow package needed), and
writes the model as ONNX built by hand with the `onnx` package, following Flywheel's model
contract (one [N, 1] float input per feature, outputs `label` and `probabilities`, metadata
`flywheel.features` and `flywheel.classes`), so Flywheel can register and serve it.

Run by Flywheel, e.g.:
  flywheel runs exec --dataset weather -- /usr/bin/python3 examples/sklearn-trainer/train.py \\
      --target weather --features precipitation,temp_max,temp_min,wind --time-column date --holdout-from 2013-10-01
Environment it reads (set by Flywheel): FLYWHEEL_DATA_CSV, FLYWHEEL_MODEL_PATH, FLYWHEEL_SEED,
MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN, MLFLOW_RUN_ID, MLFLOW_EXPERIMENT_ID.
Needs Debian's python3-sklearn and python3-onnx (/usr/bin/python3).
"""
import argparse
import csv
import json
import math
import os
import sys
import time
import urllib.error
import urllib.request

import numpy as np
import onnx
from onnx import TensorProto, helper
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss


def mlflow(path, body=None, method="POST", raw=None, content_type="application/json"):
    """Call Flywheel's MLflow-compatible API with the run's token."""
    url = os.environ["MLFLOW_TRACKING_URI"].rstrip("/") + path
    data = raw if raw is not None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", content_type)
    req.add_header("Authorization", "Bearer " + os.environ["MLFLOW_TRACKING_TOKEN"])
    with urllib.request.urlopen(req, timeout=60) as res:
        text = res.read().decode("utf-8")
        return json.loads(text) if text else {}


def read_rows(path, target, features, time_column):
    """Rows with a label: features as floats (NaN when empty), the label, and the time text."""
    X, y, t = [], [], []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row.get(target) in (None, ""):
                continue
            X.append([float(row[c]) if row.get(c) not in (None, "") else math.nan for c in features])
            y.append(row[target])
            t.append(row.get(time_column, "") if time_column else "")
    return np.array(X, dtype=float), np.array(y), t


def onnx_model(features, means, stds, classes, coef, intercept):
    """Concat → Imputer(mean) → Scaler → LinearClassifier(SOFTMAX), as Flywheel's own exports."""
    if len(classes) == 2:  # sklearn's binary model has one weight vector w: softmax([-z/2, z/2]) = [1 - σ(z), σ(z)]
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    nodes = [
        helper.make_node("Concat", features, ["raw"], axis=1),
        helper.make_node("Imputer", ["raw"], ["imputed"], domain="ai.onnx.ml",
                         imputed_value_floats=[float(m) for m in means], replaced_value_float=math.nan),
        helper.make_node("Scaler", ["imputed"], ["scaled"], domain="ai.onnx.ml",
                         offset=[float(m) for m in means], scale=[float(1 / s) for s in stds]),
        helper.make_node("LinearClassifier", ["scaled"], ["label", "probabilities"], domain="ai.onnx.ml",
                         coefficients=[float(v) for v in coef.ravel()], intercepts=[float(v) for v in intercept],
                         classlabels_strings=[str(c) for c in classes], multi_class=1, post_transform="SOFTMAX"),
    ]
    inputs = [helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", 1]) for name in features]
    outputs = [helper.make_tensor_value_info("label", TensorProto.STRING, ["N"]),
               helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", len(classes)])]
    graph = helper.make_graph(nodes, "sklearn_logistic_regression", inputs, outputs)
    model = helper.make_model(graph, producer_name="flywheel-example-sklearn-trainer",
                              opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)])
    model.ir_version = 8
    helper.set_model_props(model, {
        "flywheel.features": json.dumps([{"name": n, "kind": "numeric"} for n in features]),
        "flywheel.classes": json.dumps([str(c) for c in classes]),
        "flywheel.model": "sklearn_logistic_regression",
    })
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", required=True)
    ap.add_argument("--features", required=True, help="numeric columns, comma-separated")
    ap.add_argument("--time-column", default="", help="with --holdout-from: rows at or after it are the holdout")
    ap.add_argument("--holdout-from", default="", help="e.g. 2013-10-01 (default: a seeded 20%% of the rows)")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--max-iter", type=int, default=1000)
    args = ap.parse_args()
    features = [c for c in args.features.split(",") if c]

    X, y, times = read_rows(os.environ["FLYWHEEL_DATA_CSV"], args.target, features, args.time_column)
    if args.holdout_from:
        test = np.array([t >= args.holdout_from for t in times])
    else:
        rng = np.random.default_rng(int(os.environ.get("FLYWHEEL_SEED", "0")))
        test = rng.random(len(y)) < 0.2
    X_train, y_train, X_test, y_test = X[~test], y[~test], X[test], y[test]
    print(f"training on {len(y_train)} rows, holding out {len(y_test)}", flush=True)

    means = np.nanmean(X_train, axis=0)
    means = np.where(np.isnan(means), 0.0, means)
    filled = np.where(np.isnan(X_train), means, X_train)
    stds = filled.std(axis=0)
    stds = np.where(stds == 0, 1.0, stds)
    scale = lambda A: (np.where(np.isnan(A), means, A) - means) / stds
    started = time.perf_counter()
    clf = LogisticRegression(C=args.C, max_iter=args.max_iter).fit(scale(X_train), y_train)
    fit_seconds = time.perf_counter() - started
    proba = clf.predict_proba(scale(X_test))
    predicted = clf.classes_[proba.argmax(axis=1)]
    metrics = {"accuracy": accuracy_score(y_test, predicted), "macro_f1": f1_score(y_test, predicted, average="macro"),
               "log_loss": log_loss(y_test, proba, labels=clf.classes_), "fit_seconds": fit_seconds}
    print("holdout: " + ", ".join(f"{k} {v:.4f}" for k, v in metrics.items()), flush=True)

    run_id = os.environ["MLFLOW_RUN_ID"]
    now = int(time.time() * 1000)
    mlflow("/api/2.0/mlflow/runs/log-batch", {
        "run_id": run_id,
        "params": [{"key": "trainer", "value": "sklearn.LogisticRegression"}, {"key": "C", "value": str(args.C)},
                   {"key": "max_iter", "value": str(args.max_iter)}, {"key": "features", "value": ",".join(features)},
                   {"key": "target", "value": args.target}, {"key": "train_rows", "value": str(len(y_train))},
                   {"key": "holdout_rows", "value": str(len(y_test))}],
        "metrics": [{"key": k, "value": float(v), "timestamp": now, "step": 0} for k, v in metrics.items()],
        "tags": [{"key": "mlflow.source.name", "value": "examples/sklearn-trainer/train.py"}],
    })

    model = onnx_model(features, means, stds, clf.classes_, clf.coef_, clf.intercept_)
    onnx.save(model, os.environ["FLYWHEEL_MODEL_PATH"])
    # A few holdout rows with scikit-learn's probabilities, kept with the run (MLflow's artifact
    # proxy), so anyone can check the ONNX model against the model it was built from.
    sample = {"features": features, "classes": [str(c) for c in clf.classes_],
              "rows": [[None if math.isnan(v) else float(v) for v in row] for row in X_test[:20]],
              "probabilities": proba[:20].tolist()}
    experiment = os.environ.get("MLFLOW_EXPERIMENT_ID", "0")
    mlflow(f"/api/2.0/mlflow-artifacts/artifacts/{experiment}/{run_id}/artifacts/sklearn-sample.json",
           raw=json.dumps(sample).encode("utf-8"), method="PUT")
    print(f"wrote {os.environ['FLYWHEEL_MODEL_PATH']}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except urllib.error.HTTPError as e:  # the API's error body says what was wrong
        print(f"tracking API error {e.code}: {e.read().decode('utf-8', 'replace')}", file=sys.stderr)
        sys.exit(1)

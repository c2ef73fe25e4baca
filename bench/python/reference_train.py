"""Reference trainers for the train-reference benchmark: scikit-learn's HistGradientBoosting
and XGBoost, trained on the very split files our trainer gets, predicting the same holdout.

Usage: /usr/bin/python3 reference_train.py --model hgb|xgb --task binary|multiclass|regression
  --target NAME --train F.csv --validation V.csv --holdout H.csv --out predictions.csv

Writes one row of predictions per holdout row (class probabilities, one column per class in
sorted class order, or the predicted value) and prints one JSON line with the fit time. The
platform computes every metric from these files with its own code, so the comparison is of
models, not of metric implementations. Needs Debian's python3-sklearn and python3-xgboost
(no pandas): CSV columns are typed here the way the platform's reader types them.
"""
import argparse
import csv
import inspect
import json
import math
import os
import sys
import time

import numpy as np

MISSING = {"", "NA", "N/A", "NaN", "nan", "null", "NULL"}  # as the platform's reader
MAX_ROUNDS = 1000
PATIENCE = 20
LEARNING_RATE = 0.1


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def as_float(cell):
    try:
        return float(cell)
    except ValueError:
        return None


class Encoder:
    """Types feature columns from the training rows: numeric when every present cell is a
    number, otherwise categorical, coded by the sorted training categories (unseen -> NaN)."""

    def __init__(self, header, rows, target):
        self.features = [i for i, name in enumerate(header) if name != target]
        self.codes = {}
        for i in self.features:
            present = [row[i].strip() for row in rows if row[i].strip() not in MISSING]
            if any(as_float(cell) is None for cell in present):
                self.codes[i] = {value: code for code, value in enumerate(sorted(set(present)))}

    def categorical_mask(self):
        return [i in self.codes for i in self.features]

    def matrix(self, rows):
        out = np.full((len(rows), len(self.features)), np.nan)
        for r, row in enumerate(rows):
            for c, i in enumerate(self.features):
                cell = row[i].strip()
                if cell in MISSING:
                    continue
                if i in self.codes:
                    out[r, c] = self.codes[i].get(cell, np.nan)
                else:
                    out[r, c] = float(cell)
        return out


def targets(header, rows, target, task, classes):
    column = header.index(target)
    values = [row[column].strip() for row in rows]
    if task == "regression":
        return np.array([float(v) for v in values])
    index = {c: i for i, c in enumerate(classes)}
    return np.array([index[v] for v in values])


def train_hgb(task, train_x, train_y, val_x, val_y, mask, seed):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    # Categorical support needs fewer categories than bins; wider columns stay ordinal codes.
    usable = [m and np.nanmax(train_x[:, c], initial=0) < 255 for c, m in enumerate(mask)]
    common = dict(
        max_iter=MAX_ROUNDS,
        learning_rate=LEARNING_RATE,
        early_stopping=True,
        n_iter_no_change=PATIENCE,
        categorical_features=np.array(usable) if any(usable) else None,
        random_state=seed,
    )
    model = HistGradientBoostingRegressor(**common) if task == "regression" else HistGradientBoostingClassifier(**common)
    start = time.perf_counter()
    fit_on_split(model, train_x, train_y, val_x, val_y)
    seconds = time.perf_counter() - start
    predict = model.predict if task == "regression" else model.predict_proba
    return (lambda h: predict(h)), seconds, int(model.n_iter_)


def fit_on_split(model, train_x, train_y, val_x, val_y):
    """Fits HistGradientBoosting on the training rows, stopping early on the validation rows.

    scikit-learn 1.7 takes a validation set (X_val); earlier versions split validation_fraction
    of X off at random. There the split it draws is the given one: X is train + validation in
    that order and its own train_test_split is handed back, for this fit only, as a cut at the
    training rows. A random split would train on other rows than the rest of the benchmark,
    and on ames that alone moved the mean holdout RMSE of ten splits by 2.5%.
    """
    if "X_val" in inspect.signature(model.fit).parameters:
        model.fit(train_x, train_y, X_val=val_x, y_val=val_y)
        return
    module = sys.modules[type(model).__module__]
    drawn = module.train_test_split
    n = len(train_y)
    cuts = []

    def cut(*arrays, **_):
        cuts.append(n)
        return [part for a in arrays for part in (a[:n], a[n:])]

    module.train_test_split = cut
    try:
        model.set_params(validation_fraction=len(val_y) / (n + len(val_y)))
        model.fit(np.vstack([train_x, val_x]), np.concatenate([train_y, val_y]))
    finally:
        module.train_test_split = drawn
    if not cuts:
        raise RuntimeError("this scikit-learn split its validation set another way: fit_on_split needs updating")


def train_xgb(task, train_x, train_y, val_x, val_y, mask, seed, class_count):
    import xgboost as xgb

    types = ["c" if m else "q" for m in mask]
    dtrain = xgb.DMatrix(train_x, label=train_y, feature_types=types, enable_categorical=True)
    dval = xgb.DMatrix(val_x, label=val_y, feature_types=types, enable_categorical=True)
    # As many threads as HistGradientBoosting's OpenMP gets (the benchmark sets OMP_NUM_THREADS).
    threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
    params = {"eta": LEARNING_RATE, "max_depth": 6, "tree_method": "hist", "seed": seed, "nthread": threads}
    if task == "binary":
        params.update(objective="binary:logistic", eval_metric="logloss")
    elif task == "multiclass":
        params.update(objective="multi:softprob", eval_metric="mlogloss", num_class=class_count)
    else:
        params.update(objective="reg:squarederror", eval_metric="rmse")
    start = time.perf_counter()
    booster = xgb.train(params, dtrain, MAX_ROUNDS, evals=[(dval, "validation")], early_stopping_rounds=PATIENCE, verbose_eval=False)
    seconds = time.perf_counter() - start
    rounds = booster.best_iteration + 1

    def predict(h):
        p = booster.predict(xgb.DMatrix(h, feature_types=types, enable_categorical=True), iteration_range=(0, rounds))
        return np.column_stack([1 - p, p]) if task == "binary" else p

    return predict, seconds, rounds


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--model", "--task", "--target", "--train", "--validation", "--holdout", "--out"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    header, train_rows = read(args.train)
    _, val_rows = read(args.validation)
    _, holdout_rows = read(args.holdout)
    encoder = Encoder(header, train_rows, args.target)
    target_column = header.index(args.target)
    classes = [] if args.task == "regression" else sorted({row[target_column].strip() for row in train_rows})
    train_x, val_x, holdout_x = (encoder.matrix(rows) for rows in (train_rows, val_rows, holdout_rows))
    train_y, val_y = (targets(header, rows, args.target, args.task, classes) for rows in (train_rows, val_rows))

    mask = encoder.categorical_mask()
    if args.model == "hgb":
        predict, seconds, rounds = train_hgb(args.task, train_x, train_y, val_x, val_y, mask, args.seed)
    else:
        predict, seconds, rounds = train_xgb(args.task, train_x, train_y, val_x, val_y, mask, args.seed, len(classes))
    predictions = np.asarray(predict(holdout_x))

    with open(args.out, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(classes if classes else ["value"])
        for row in predictions.reshape(len(holdout_rows), -1):
            writer.writerow([repr(float(v)) if math.isfinite(v) else "" for v in row])
    print(json.dumps({"model": args.model, "fitSeconds": seconds, "rounds": rounds}))


if __name__ == "__main__":
    main()

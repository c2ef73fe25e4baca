# Reference for bench/train-gbdt: fits scikit-learn's HistGradientBoostingClassifier on the
# matrix written by synthetic-matrix.ts and prints one JSON line: fit wall and CPU seconds
# (all threads) and holdout AUC.
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score


def load(path, rows, columns):
    data = np.fromfile(path, dtype="<f4")
    x = data[: rows * columns].reshape(columns, rows).T
    y = data[rows * columns :]
    return np.ascontiguousarray(x, dtype=np.float64), y


def main():
    train_path, holdout_path, rows, holdout_rows, columns, iterations, leaves, rate, l2, min_leaf = sys.argv[1:]
    columns = int(columns)
    x, y = load(train_path, int(rows), columns)
    xh, yh = load(holdout_path, int(holdout_rows), columns)
    model = HistGradientBoostingClassifier(
        max_iter=int(iterations),
        max_leaf_nodes=int(leaves),
        learning_rate=float(rate),
        l2_regularization=float(l2),
        min_samples_leaf=int(min_leaf),
        max_bins=255,
        early_stopping=False,
        random_state=0,
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(x, y)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    auc = roc_auc_score(yh, model.predict_proba(xh)[:, 1])
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu, "auc": auc, "iterations": model.n_iter_}))


main()

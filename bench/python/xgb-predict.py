# Reference for bench/onnx-batch: trains an XGBoost model of the given size on the matrix
# written by synthetic-matrix.ts, then times its own predict over the scoring rows in
# batches, and prints one JSON line: rows per second (best pass) and the model's tree count.
import json
import sys
import time

import numpy as np
import xgboost as xgb


def load(path, rows, columns):
    data = np.fromfile(path, dtype="<f4")
    x = data[: rows * columns].reshape(columns, rows).T
    y = data[rows * columns :]
    return np.ascontiguousarray(x), y


def main():
    train_path, score_path, rows, score_rows, columns, trees, leaves, batch, passes = sys.argv[1:]
    columns, batch = int(columns), int(batch)
    x, y = load(train_path, int(rows), columns)
    xs, _ = load(score_path, int(score_rows), columns)
    params = {
        "objective": "binary:logistic",
        "tree_method": "hist",
        "grow_policy": "lossguide",
        "max_leaves": int(leaves),
        "max_depth": 0,
        "eta": 0.1,
        "max_bin": 255,
    }
    booster = xgb.train(params, xgb.DMatrix(x, label=y), num_boost_round=int(trees))
    best = 0.0
    for _ in range(int(passes)):
        start = time.perf_counter()
        for offset in range(0, xs.shape[0], batch):
            booster.inplace_predict(xs[offset : offset + batch])
        best = max(best, xs.shape[0] / (time.perf_counter() - start))
    print(json.dumps({"rowsPerSecond": best, "trees": len(booster.get_dump())}))


main()

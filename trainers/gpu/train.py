#!/usr/bin/env python3
"""PyTorch tabular trainer (an MLP) honouring the platform's trainer contract.

    train.py --train F.csv --validation V.csv --spec spec.json --out DIR

writes DIR/model.onnx, DIR/metrics.json and DIR/validation-outputs.json (the trainer's own
outputs on the validation rows, for the platform's parity check) and exits 0; bad input exits 2
with a one-line reason. Uses CUDA when present, the CPU otherwise.

The ONNX graph honours the model interface: one [N, 1] input per raw column (float, or string
for categoricals), preprocessing inside the graph, outputs `label` + `probabilities` or
`variable`, metadata `task`, `classes`, `features`, and no ZipMap. torch.onnx cannot export
string inputs, so the graph is composed: an ai.onnx.ml preamble (Imputer, Scaler,
OneHotEncoder) built with onnx.helper, the exported MLP, and the output head.
"""
import argparse
import csv
import json
import math
import os
import random
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, compose, helper

MISSING = {"", "na", "nan", "null", "none", "n/a"}
TRUE = {"true", "yes", "y", "t"}
FALSE = {"false", "no", "n", "f"}
DEFAULTS = {
    "hiddenLayers": [64, 32],
    "epochs": 300,
    "learningRate": 0.003,
    "batchSize": 256,
    "weightDecay": 0.0001,
    "earlyStoppingRounds": 25,
    "seed": 7,
    "maxCategories": 64,
}
OPSET = 13


class BadInput(Exception):
    pass


def read_csv(path, what):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        raise BadInput(f"cannot read the {what} {path}: {e.strerror}")
    if not rows or not rows[0]:
        raise BadInput(f"the {what} {path} has no header row")
    header = rows[0]
    body = [r for r in rows[1:] if r]
    for i, r in enumerate(body):
        if len(r) != len(header):
            raise BadInput(f"the {what} {path} row {i + 2} has {len(r)} cells, the header {len(header)}")
    return header, [list(col) for col in zip(*body)] if body else [[] for _ in header]


def is_missing(cell):
    return cell.strip().lower() in MISSING


def as_float(cell):
    try:
        return float(cell)
    except ValueError:
        return None


def infer_type(values):
    present = [v for v in values if not is_missing(v)]
    if all(v.strip().lower() in TRUE | FALSE for v in present) and present:
        return "boolean"
    if all(as_float(v) is not None for v in present):
        return "numeric"
    return "categorical"


def numeric_column(values, kind):
    out = np.empty(len(values), dtype=np.float32)
    for i, v in enumerate(values):
        token = v.strip().lower()
        if is_missing(v):
            out[i] = np.nan
        elif kind == "boolean":
            out[i] = 1.0 if token in TRUE else 0.0 if token in FALSE else np.nan
        else:
            number = as_float(v)
            out[i] = np.nan if number is None else number
    return out


class Features:
    """Fitted preprocessing: the same arithmetic in numpy (training) and in the ONNX preamble."""

    def __init__(self, spec_features, header, columns, target, max_categories):
        declared = {f["name"]: f["type"] for f in spec_features or []}
        self.features = []
        for name, values in zip(header, columns):
            if name == target:
                continue
            kind = declared.get(name) or infer_type(values)
            feature = {"name": name, "type": kind}
            if kind == "categorical":
                counts = {}
                for v in values:
                    if not is_missing(v):
                        counts[v] = counts.get(v, 0) + 1
                kept = sorted(counts, key=lambda c: (-counts[c], c))[:max_categories]
                feature["categories"] = sorted(kept)
            else:
                x = numeric_column(values, kind)
                mean = float(np.nanmean(x)) if np.isfinite(x).any() else 0.0
                std = float(np.nanstd(x)) if np.isfinite(x).any() else 0.0
                feature["mean"] = np.float32(mean)
                feature["scale"] = np.float32(1.0 / std if std > 1e-12 else 1.0)
            self.features.append(feature)
        if not self.features:
            raise BadInput("the training file has no feature columns besides the target")

    @property
    def width(self):
        return sum(len(f["categories"]) if f["type"] == "categorical" else 1 for f in self.features)

    def matrix(self, header, columns, what):
        index = {name: i for i, name in enumerate(header)}
        parts = []
        for f in self.features:
            if f["name"] not in index:
                raise BadInput(f"the {what} lacks the feature column '{f['name']}'")
            values = columns[index[f["name"]]]
            if f["type"] == "categorical":
                position = {c: i for i, c in enumerate(f["categories"])}
                block = np.zeros((len(values), len(f["categories"])), dtype=np.float32)
                for r, v in enumerate(values):
                    if v in position:
                        block[r, position[v]] = 1.0
                parts.append(block)
            else:
                x = numeric_column(values, f["type"])
                x = np.where(np.isnan(x), f["mean"], x).astype(np.float32)
                parts.append(((x - f["mean"]) * f["scale"]).astype(np.float32)[:, None])
        return np.concatenate(parts, axis=1)

    def preamble(self):
        """The ONNX graph from raw [N, 1] inputs to the [N, width] float matrix `features`."""
        inputs, nodes, encoded = [], [], []
        for i, f in enumerate(self.features):
            name = f["name"]
            if f["type"] == "categorical":
                inputs.append(helper.make_tensor_value_info(name, TensorProto.STRING, ["N", 1]))
                nodes.append(
                    helper.make_node(
                        "OneHotEncoder", [name], [f"__onehot{i}"], domain="ai.onnx.ml",
                        cats_strings=f["categories"], zeros=1,
                    )
                )
                nodes.append(helper.make_node("Flatten", [f"__onehot{i}"], [f"__enc{i}"], axis=1))
            else:
                inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", 1]))
                nodes.append(
                    helper.make_node(
                        "Imputer", [name], [f"__imputed{i}"], domain="ai.onnx.ml",
                        imputed_value_floats=[float(f["mean"])], replaced_value_float=float("nan"),
                    )
                )
                nodes.append(
                    helper.make_node(
                        "Scaler", [f"__imputed{i}"], [f"__enc{i}"], domain="ai.onnx.ml",
                        offset=[float(f["mean"])], scale=[float(f["scale"])],
                    )
                )
            encoded.append(f"__enc{i}")
        nodes.append(helper.make_node("Concat", encoded, ["features"], axis=1))
        output = helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", self.width])
        graph = helper.make_graph(nodes, "preprocessing", inputs, [output])
        return helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", 2)]
        )

    def schema(self):
        out = []
        for f in self.features:
            entry = {"name": f["name"], "type": f["type"]}
            if f["type"] == "categorical":
                entry["categories"] = f["categories"]
            out.append(entry)
        return out


class Mlp(torch.nn.Module):
    def __init__(self, width, hidden, outputs, y_mean=0.0, y_std=1.0):
        super().__init__()
        layers, previous = [], width
        for size in hidden:
            layers += [torch.nn.Linear(previous, size), torch.nn.ReLU()]
            previous = size
        layers.append(torch.nn.Linear(previous, outputs))
        self.net = torch.nn.Sequential(*layers)
        # Regression trains on a standardised target; the exported graph undoes it.
        self.register_buffer("y_mean", torch.tensor(y_mean, dtype=torch.float32))
        self.register_buffer("y_std", torch.tensor(y_std, dtype=torch.float32))

    def forward(self, x):
        return self.net(x)

    def scores(self, x):
        return self.net(x) * self.y_std + self.y_mean


class Scores(torch.nn.Module):
    def __init__(self, mlp):
        super().__init__()
        self.mlp = mlp

    def forward(self, features):
        return self.mlp.scores(features)


def head(task, classes, outputs):
    """The model interface's outputs from raw scores [N, outputs]."""
    scores = helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", outputs])
    if task == "regression":
        nodes = [helper.make_node("Identity", ["scores"], ["variable"])]
        outs = [helper.make_tensor_value_info("variable", TensorProto.FLOAT, ["N", 1])]
        return helper.make_graph(nodes, "head", [scores], outs), []
    one = helper.make_tensor("__one", TensorProto.FLOAT, [1], [1.0])
    names = helper.make_tensor("__classes", TensorProto.STRING, [len(classes)], [c.encode() for c in classes])
    if task == "binary":
        nodes = [
            helper.make_node("Sigmoid", ["scores"], ["__positive"]),
            helper.make_node("Sub", ["__one", "__positive"], ["__negative"]),
            helper.make_node("Concat", ["__negative", "__positive"], ["probabilities"], axis=1),
        ]
    else:
        nodes = [helper.make_node("Softmax", ["scores"], ["probabilities"], axis=1)]
    nodes += [
        helper.make_node("ArgMax", ["probabilities"], ["__index"], axis=1, keepdims=0),
        helper.make_node("Gather", ["__classes", "__index"], ["label"], axis=0),
    ]
    outs = [
        helper.make_tensor_value_info("label", TensorProto.STRING, ["N"]),
        helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", len(classes)]),
    ]
    return helper.make_graph(nodes, "head", [scores], outs, initializer=[one, names]), []


def export(features, model, task, classes, out_dir):
    scores_path = os.path.join(out_dir, ".mlp.onnx")
    model.eval()
    torch.onnx.export(
        Scores(model).cpu(),
        torch.zeros(1, features.width),
        scores_path,
        input_names=["features"],
        output_names=["scores"],
        dynamic_axes={"features": {0: "N"}, "scores": {0: "N"}},
        opset_version=OPSET,
    )
    mlp = onnx.load(scores_path)
    os.remove(scores_path)
    pre = features.preamble()
    graph, _ = head(task, classes, 1 if task != "multiclass" else len(classes))
    post = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    for part in (pre, post):
        part.ir_version = mlp.ir_version
    combined = compose.merge_models(pre, mlp, io_map=[("features", "features")])
    combined = compose.merge_models(combined, post, io_map=[("scores", "scores")])
    combined.graph.name = "gpu-trainer"
    del combined.metadata_props[:]
    for key, value in {
        "task": task,
        "algorithm": "mlp",
        "classes": json.dumps(classes),
        "features": json.dumps(features.schema()),
        "trainer": "gpu-trainer/1",
    }.items():
        combined.metadata_props.append(onnx.StringStringEntryProto(key=key, value=value))
    combined.producer_name = "azfn-mlops gpu trainer"
    onnx.checker.check_model(combined)
    return combined.SerializeToString()


def metrics_of(task, outputs, y):
    if task == "regression":
        error = outputs[:, 0] - y
        total = float(((y - y.mean()) ** 2).sum())
        return {
            "rmse": float(np.sqrt((error ** 2).mean())),
            "mae": float(np.abs(error).mean()),
            "r2": 0.0 if total == 0 else 1 - float((error ** 2).sum()) / total,
        }
    picked = outputs[np.arange(len(y)), y]
    return {
        "accuracy": float((outputs.argmax(axis=1) == y).mean()),
        "logLoss": float(-np.log(np.clip(picked, 1e-15, 1 - 1e-15)).mean()),
    }


def train(args, log):
    try:
        with open(args.spec, encoding="utf-8") as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        raise BadInput(f"cannot read the spec {args.spec}: {e}")
    task = spec.get("task")
    if task not in ("binary", "multiclass", "regression"):
        raise BadInput('spec.task must be "binary", "multiclass" or "regression"')
    target = spec.get("target") or "label"
    unknown = set(spec.get("params") or {}) - set(DEFAULTS)
    if unknown:
        raise BadInput(f"unknown params {sorted(unknown)}; known: {sorted(DEFAULTS)}")
    params = {**DEFAULTS, **(spec.get("params") or {})}

    header, columns = read_csv(args.train, "training file")
    v_header, v_columns = read_csv(args.validation, "validation file")
    for name, cols, what in ((header, columns, "training file"), (v_header, v_columns, "validation file")):
        if target not in name:
            raise BadInput(f"the {what} has no target column '{target}'")
    y_raw = columns[header.index(target)]
    v_raw = v_columns[v_header.index(target)]
    if any(is_missing(v) for v in y_raw):
        raise BadInput(f"the training file has rows without a '{target}' value")

    random.seed(params["seed"])
    np.random.seed(params["seed"])
    torch.manual_seed(params["seed"])
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    features = Features(spec.get("features"), header, columns, target, params["maxCategories"])
    x = torch.from_numpy(features.matrix(header, columns, "training file")).to(device)
    vx = torch.from_numpy(features.matrix(v_header, v_columns, "validation file")).to(device)

    if task == "regression":
        y_np = numeric_column(y_raw, "numeric")
        vy_np = numeric_column(v_raw, "numeric")
        if np.isnan(y_np).any() or np.isnan(vy_np).any():
            raise BadInput(f"target '{target}' must be numeric for regression")
        y_mean, y_std = float(y_np.mean()), float(y_np.std() or 1.0)
        classes, outputs = [], 1
        y = torch.from_numpy((y_np - y_mean) / y_std).float().to(device)[:, None]
        vy = torch.from_numpy((vy_np - y_mean) / y_std).float().to(device)[:, None]
        loss_fn = torch.nn.MSELoss()
    else:
        classes = sorted(set(y_raw) | {v for v in v_raw if not is_missing(v)})
        if len(classes) < 2:
            raise BadInput(f"target '{target}' has {len(classes)} class; classification needs at least 2")
        if task == "binary" and len(classes) > 2:
            raise BadInput(f'target \'{target}\' has {len(classes)} classes; use task "multiclass"')
        index = {c: i for i, c in enumerate(classes)}
        y_np = np.array([index[v] for v in y_raw])
        vy_np = np.array([index[v] for v in v_raw])
        y_mean, y_std = 0.0, 1.0
        if task == "binary":
            outputs = 1
            y = torch.from_numpy(y_np).float().to(device)[:, None]
            vy = torch.from_numpy(vy_np).float().to(device)[:, None]
            loss_fn = torch.nn.BCEWithLogitsLoss()
        else:
            outputs = len(classes)
            y = torch.from_numpy(y_np).long().to(device)
            vy = torch.from_numpy(vy_np).long().to(device)
            loss_fn = torch.nn.CrossEntropyLoss()

    log(
        f"training mlp {params['hiddenLayers']} ({task}) on {len(y_raw)} rows x {len(features.features)} features"
        f" ({features.width} inputs) on {device.type}, validating on {len(v_raw)} rows"
    )
    model = Mlp(features.width, params["hiddenLayers"], outputs, y_mean, y_std).to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=params["learningRate"], weight_decay=params["weightDecay"])
    generator = torch.Generator(device="cpu").manual_seed(params["seed"])
    best, best_state, best_epoch = math.inf, None, 0
    for epoch in range(1, params["epochs"] + 1):
        model.train()
        order = torch.randperm(len(y), generator=generator).to(device)
        for start in range(0, len(y), params["batchSize"]):
            batch = order[start : start + params["batchSize"]]
            optimiser.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimiser.step()
        model.eval()
        with torch.no_grad():
            validation = float(loss_fn(model(vx), vy))
        if validation < best - 1e-7:
            best, best_epoch = validation, epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        if epoch == 1 or epoch % 10 == 0:
            log(f"epoch {epoch}  validation loss {validation:.5f}")
        if epoch - best_epoch >= params["earlyStoppingRounds"]:
            break
    model.load_state_dict(best_state)
    model.eval()
    log(f"kept epoch {best_epoch} (validation loss {best:.5f})")

    with torch.no_grad():
        scores = Scores(model)(vx)
        if task == "regression":
            own = scores
        elif task == "binary":
            positive = torch.sigmoid(scores)
            own = torch.cat([1 - positive, positive], dim=1)
        else:
            own = torch.softmax(scores, dim=1)
    own = own.cpu().numpy().astype(np.float32)
    truth = vy_np if task != "regression" else numeric_column(v_raw, "numeric")
    metrics = metrics_of(task, own, truth)

    os.makedirs(args.out, exist_ok=True)
    model.cpu()
    onnx_bytes = export(features, model, task, classes, args.out)
    with open(os.path.join(args.out, "model.onnx"), "wb") as f:
        f.write(onnx_bytes)
    result = {
        "task": task,
        "algorithm": "mlp",
        "metrics": metrics,
        "rounds": best_epoch,
        "features": [{"name": f["name"], "type": f["type"]} for f in features.features],
        "classes": classes,
        "validationRows": len(v_raw),
        "device": device.type,
    }
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    with open(os.path.join(args.out, "validation-outputs.json"), "w", encoding="utf-8") as f:
        json.dump({"width": own.shape[1], "outputs": own.reshape(-1).tolist()}, f)
    log("validation " + ", ".join(f"{k} {v:.5f}" for k, v in metrics.items()))
    log(f"wrote {os.path.join(args.out, 'model.onnx')} ({len(onnx_bytes)} bytes) and metrics.json")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("train", "validation", "spec", "out"):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()
    try:
        train(args, lambda line: print(line, flush=True))
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()

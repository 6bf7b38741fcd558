#!/usr/bin/env python3
"""Write the convolution layers of ONNX models as bench_kernels layer files.

Each output line describes one Conv node as
"in_c in_h in_w out_c out_h out_w kernel_h kernel_w stride_h stride_w
pad_top pad_left dilation_h dilation_w group", with shapes from ONNX shape
inference. Needs the python3-onnx Debian package.

Usage: model_layers.py OUT_DIR MODEL.onnx...
"""
import os
import sys

import onnx
from onnx import shape_inference


def tensor_shapes(graph):
    infos = list(graph.value_info) + list(graph.input) + list(graph.output)
    return {info.name: [d.dim_value for d in info.type.tensor_type.shape.dim]
            for info in infos}


def same_padding(in_size, out_size, kernel, stride, dilation):
    """Return the leading padding of auto_pad SAME_* (the trailing gets the rest)."""
    total = max(0, (out_size - 1) * stride + (kernel - 1) * dilation + 1 - in_size)
    return total // 2


def conv_line(node, shapes, weights):
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    x, y, w = shapes[node.input[0]], shapes[node.output[0]], weights[node.input[1]]
    strides = attrs.get("strides", [1, 1])
    dilations = attrs.get("dilations", [1, 1])
    pads = attrs.get("pads", [0, 0, 0, 0])
    if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        pads = [same_padding(x[2], y[2], w[2], strides[0], dilations[0]),
                same_padding(x[3], y[3], w[3], strides[1], dilations[1])]
    values = [x[1], x[2], x[3], y[1], y[2], y[3], w[2], w[3], strides[0], strides[1],
              pads[0], pads[1], dilations[0], dilations[1], attrs.get("group", 1)]
    return " ".join(str(v) for v in values)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for path in sys.argv[2:]:
        graph = shape_inference.infer_shapes(onnx.load(path)).graph
        shapes = tensor_shapes(graph)
        weights = {t.name: list(t.dims) for t in graph.initializer}
        lines = [conv_line(n, shapes, weights) for n in graph.node if n.op_type == "Conv"]
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out_dir, name + ".layers"), "w") as out:
            out.write("\n".join(lines) + "\n")
        print(f"{name}: {len(lines)} convolutions")


if __name__ == "__main__":
    main()

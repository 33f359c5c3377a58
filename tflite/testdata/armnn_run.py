"""Run .tflite models with Arm NN (Debian python3-pyarmnn, CpuRef backend).

usage: /usr/bin/python3 armnn_run.py MANIFEST

Each MANIFEST line is tab-separated: MODEL.tflite OUTDIR IN0.bin [IN1.bin ...].
INk.bin holds the raw little-endian data of graph input k (dtype taken from the
model). For each model the script writes OUTDIR/out0.bin ... with the raw output
data, or OUTDIR/error.txt when Arm NN rejects or fails the model.
Exit status 3: Arm NN (pyarmnn) is unavailable.
"""
import os
import sys
import traceback

try:
    import numpy as np
    import pyarmnn as ann
except Exception as e:  # pragma: no cover
    print("pyarmnn unavailable: %s" % e, file=sys.stderr)
    sys.exit(3)

DTYPES = {ann.DataType_Float32: np.float32, ann.DataType_QAsymmS8: np.int8}


def run(runtime, model, ins, outdir):
    parser = ann.ITfLiteParser()
    net = parser.CreateNetworkFromBinaryFile(model)
    in_names = parser.GetSubgraphInputTensorNames(0)
    out_names = parser.GetSubgraphOutputTensorNames(0)
    opt, _ = ann.Optimize(net, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(), ann.OptimizerOptions())
    net_id, _ = runtime.LoadNetwork(opt)
    input_tensors = []
    for name, path in zip(in_names, ins):
        binding = parser.GetNetworkInputBindingInfo(0, name)
        data = np.fromfile(path, dtype=DTYPES[binding[1].GetDataType()])
        input_tensors += ann.make_input_tensors([binding], [data])
    bindings = [parser.GetNetworkOutputBindingInfo(0, n) for n in out_names]
    output_tensors = ann.make_output_tensors(bindings)
    runtime.EnqueueWorkload(net_id, input_tensors, output_tensors)
    for k, arr in enumerate(ann.workload_tensors_to_ndarray(output_tensors)):
        arr.tofile(os.path.join(outdir, "out%d.bin" % k))
    runtime.UnloadNetwork(net_id)


def main():
    runtime = ann.IRuntime(ann.CreationOptions())
    with open(sys.argv[1]) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            model, outdir, ins = parts[0], parts[1], parts[2:]
            try:
                run(runtime, model, ins, outdir)
            except Exception:
                with open(os.path.join(outdir, "error.txt"), "w") as e:
                    e.write(traceback.format_exc())


if __name__ == "__main__":
    main()

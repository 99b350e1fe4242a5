"""Moves MLP weights between PyTorch and Lethe through safetensors files.

Run with a Python that has PyTorch (on Debian: /usr/bin/python3). Uses only torch and the
standard library; safetensors files are read and written by hand (struct + json), so the
check does not rest on a second implementation of the format.

The model is Lethe's Models.mlp and its PyTorch twin
    nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(),
                  nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)),
whose state-dict names (1.weight, 1.bias, 3.weight, 3.bias, 5.weight, 5.bias) are the same
in both, weights in the [out, in] layout.

    python torch_interop.py export DIR
        Trains the torch MLP (seed 0) for 50 SGD steps on random data, then writes
        DIR/torch_mlp.safetensors     its weights,
        DIR/inputs.safetensors        "inputs": a fixed batch [16, 1, 28, 28] (torch.rand, seed 1),
        DIR/torch_logits.safetensors  "logits": torch's [16, 10] logits on that batch.
        Lethe loads the weights and must reproduce the logits.

    python torch_interop.py check DIR
        Loads DIR/lethe_mlp.safetensors (written by Lethe) into the torch MLP, runs it on
        DIR/inputs.safetensors and compares with DIR/lethe_logits.safetensors ("logits").
        Prints the largest absolute difference; exits 1 if it exceeds 1e-5 (float32 rounding).
"""
import json
import struct
import sys
from pathlib import Path

import torch
from torch import nn

TOLERANCE = 1e-5

# safetensors dtype name <-> torch dtype, and the struct code of one element.
DTYPES = {"F32": (torch.float32, "f"), "F64": (torch.float64, "d"), "I64": (torch.int64, "q")}


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(),
                         nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def write_safetensors(path, tensors):
    """Writes {name: tensor} in the safetensors layout: u64 header length, JSON header padded
    with spaces to a multiple of 8, then each tensor's elements row-major little-endian."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        code = next(k for k, (dt, _) in DTYPES.items() if dt == t.dtype)
        blob = struct.pack("<%d%s" % (t.numel(), DTYPES[code][1]), *t.flatten().tolist())
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read_safetensors(path):
    """Reads a safetensors file into {name: tensor}, checking that every byte range fits."""
    data = Path(path).read_bytes()
    (n,) = struct.unpack_from("<Q", data, 0)
    header = json.loads(data[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    body = data[8 + n:]
    out = {}
    for name, info in header.items():
        dtype, code = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        count = 1
        for d in info["shape"]:
            count *= d
        if end - begin != count * struct.calcsize(code) or end > len(body):
            raise ValueError("%s: tensor %s has bad data_offsets %s for shape %s" % (path, name, info["data_offsets"], info["shape"]))
        values = struct.unpack_from("<%d%s" % (count, code), body, begin)
        out[name] = torch.tensor(values, dtype=dtype).reshape(info["shape"])
    return out


def export(directory):
    torch.manual_seed(0)
    model = mlp()
    # A few SGD steps so the exported weights are not just torch's initialisation.
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for _ in range(50):
        x = torch.rand(32, 1, 28, 28)
        y = torch.randint(0, 10, (32,))
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    torch.manual_seed(1)
    inputs = torch.rand(16, 1, 28, 28)
    with torch.no_grad():
        logits = model(inputs)
    write_safetensors(directory / "torch_mlp.safetensors", model.state_dict())
    write_safetensors(directory / "inputs.safetensors", {"inputs": inputs})
    write_safetensors(directory / "torch_logits.safetensors", {"logits": logits})
    print("wrote %s: %d tensors, inputs %s, logits %s"
          % (directory, len(model.state_dict()), list(inputs.shape), list(logits.shape)))
    return 0


def check(directory):
    model = mlp()
    state = {k: v.float() for k, v in read_safetensors(directory / "lethe_mlp.safetensors").items()}
    model.load_state_dict(state, strict=True)
    inputs = read_safetensors(directory / "inputs.safetensors")["inputs"].float()
    expected = read_safetensors(directory / "lethe_logits.safetensors")["logits"].float()
    with torch.no_grad():
        logits = model(inputs)
    if logits.shape != expected.shape:
        print("shape mismatch: torch %s, lethe %s" % (list(logits.shape), list(expected.shape)))
        return 1
    diff = (logits - expected).abs().max().item()
    print("max |torch - lethe| = %.3g" % diff)
    return 0 if diff <= TOLERANCE else 1


def main(argv):
    if len(argv) != 3 or argv[1] not in ("export", "check"):
        print(__doc__)
        return 2
    directory = Path(argv[2])
    return export(directory) if argv[1] == "export" else check(directory)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

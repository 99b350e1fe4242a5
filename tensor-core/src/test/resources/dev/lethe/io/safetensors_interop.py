"""Independent safetensors reader and writer for SafeTensorsInteropTest, standard library only.

    python3 safetensors_interop.py write FILE   writes F32, F64 and I64 tensors with metadata,
                                                and prints what it wrote as JSON
    python3 safetensors_interop.py read FILE    prints the file's contents as JSON

Printed JSON: {"metadata": {...}, "tensors": [{"name", "dtype", "shape", "values"}, ...]} in
header order, values flattened row-major. It follows the format description at
https://github.com/huggingface/safetensors (8-byte little-endian header length, JSON header
padded with spaces, little-endian data) without using that package.
"""
import json
import struct
import sys

FORMATS = {"F32": ("f", 4), "F64": ("d", 8), "I64": ("q", 8)}


def write(path):
    tensors = [
        ("weight", "F32", [2, 3], [0.5, -1.25, 3.0, 1e-8, -0.0, 65504.0]),
        ("bias", "F64", [3], [0.1, -2.718281828459045, 1e300]),
        ("steps", "I64", [2, 2], [0, -7, 2 ** 40, 9007199254740992]),
        ("scalar", "F32", [], [42.0]),
        ("empty", "F64", [0, 4], []),
    ]
    metadata = {"format": "pt", "note": "quote \" backslash \\ tab \t caf\u00e9 \u2603"}
    header = {"__metadata__": metadata}
    data = b""
    for name, dtype, shape, values in tensors:
        code, size = FORMATS[dtype]
        chunk = struct.pack("<%d%s" % (len(values), code), *values)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(chunk)]}
        data += chunk
    text = json.dumps(header).encode("utf-8")  # ensure_ascii: non-ASCII goes out as \\u escapes
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)
    # Report F32 values as the floats actually stored.
    stored = []
    for name, dtype, shape, values in tensors:
        if dtype == "F32":
            values = [struct.unpack("<f", struct.pack("<f", v))[0] for v in values]
        stored.append({"name": name, "dtype": dtype, "shape": shape, "values": values})
    print(json.dumps({"metadata": metadata, "tensors": stored}))


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    assert n % 8 == 0, "header length %d is not a multiple of 8" % n
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    out = []
    covered = 0
    for name, info in header.items():
        code, size = FORMATS[info["dtype"]]
        begin, end = info["data_offsets"]
        count = 1
        for s in info["shape"]:
            count *= s
        assert end - begin == count * size, name
        covered += end - begin
        values = list(struct.unpack("<%d%s" % (count, code), data[begin:end]))
        out.append({"name": name, "dtype": info["dtype"], "shape": info["shape"], "values": values})
    assert covered == len(data), "tensors cover %d of %d data bytes" % (covered, len(data))
    print(json.dumps({"metadata": metadata, "tensors": out}))


if __name__ == "__main__":
    {"write": write, "read": read}[sys.argv[1]](sys.argv[2])

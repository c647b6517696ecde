#!/usr/bin/env python3
"""Fails (exit 1) when a PNG screenshot is blank: a single colour, or nearly so.

Standard library only: reads the chunks, inflates the IDAT data and undoes the scanline filters (8-bit RGB or RGBA,
not interlaced, as Chromium writes its screenshots), then counts the pixels that differ from the most common colour.
Usage: png-colours.py FILE [MINIMUM_SHARE]   (MINIMUM_SHARE defaults to 0.005: half a percent of the pixels)
"""
import struct
import sys
import zlib
from collections import Counter


def pixels(path):
    with open(path, "rb") as file:
        data = file.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    position, idat, header = 8, [], None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"{path}: expected 8-bit RGB or RGBA, not interlaced; found {header}")
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(b"".join(idat))
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        yield from (bytes(line[i : i + channels]) for i in range(0, stride, channels))
        previous = line


def main():
    path = sys.argv[1]
    minimum = float(sys.argv[2]) if len(sys.argv) > 2 else 0.005
    counts = Counter(pixels(path))
    total = sum(counts.values())
    background, most = counts.most_common(1)[0]
    share = (total - most) / total
    print(f"{path}: {len(counts)} colours, {share:.1%} of the pixels differ from the background #{background.hex()}")
    if share < minimum:
        print(f"{path}: blank: fewer than {minimum:.1%} of the pixels differ from the background", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

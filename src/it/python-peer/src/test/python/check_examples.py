"""Checks the byte-level examples of docs/PROTOCOL.md section 14 against the codec of section 15.

    python3 check_examples.py docs/PROTOCOL.md

For each example it reads the hex dumps out of the document and checks that the codec encodes
exactly those frames, that it decodes them and encodes them again unchanged, and that the HMAC
input shown (or described in section 5) is what is signed. Prints one JSON line per check and
exits 1 if any failed.
"""
import hashlib
import hmac
import re
import struct
import sys

import protocol_v2 as codec
from brubeck_peer import emit

# What each example of section 14 shows, as the codec builds it. The sketch defines READY,
# REQUEST, REPLY and REFUSE itself (with the key and the session of section 14); HEARTBEAT (the
# client's) and DISCONNECT (the worker's) are built here from the values their sections state.
WORKER_TO_CLIENT = (codec.worker_nonce, codec.client_nonce)
CLIENT_TO_WORKER = (codec.client_nonce, codec.worker_nonce)
EXPECTED = {
    "READY": codec.ready,
    "REQUEST": codec.request,
    "REPLY": codec.reply,
    "HEARTBEAT": codec.encode(codec.key, codec.HEARTBEAT, CLIENT_TO_WORKER, (1000,)),
    "DISCONNECT": codec.encode(codec.key, codec.DISCONNECT, WORKER_TO_CLIENT),
    "REFUSE": codec.refuse,
}
# The session each example's text names, read back from the decoded header.
SESSIONS = {"READY": (codec.worker_nonce, codec.UNKNOWN), "REQUEST": CLIENT_TO_WORKER, "REPLY": WORKER_TO_CLIENT,
            "HEARTBEAT": CLIENT_TO_WORKER, "DISCONNECT": WORKER_TO_CLIENT, "REFUSE": WORKER_TO_CLIENT}
DUMP_LINE = re.compile(r"^\s+([0-9a-f]{4})  ((?:[0-9a-f]{2} {1,2})*[0-9a-f]{2})\s+\|")
FRAME_LINE = re.compile(r"^frame (\d+) \((\d+) bytes\)")


def section(document, number):
    start = document.index("\n## %d. " % number)
    return document[start:document.index("\n## ", start + 1)]


def parse_dump(lines):
    """Hex dump lines ("  0010  e8 00 ...  |ascii|") to bytes, checking the offsets as it goes."""
    data = bytearray()
    for line in lines:
        match = DUMP_LINE.match(line)
        if not match:
            raise ValueError("not a dump line: %r" % line)
        if int(match.group(1), 16) != len(data):
            raise ValueError("offset %s after %d bytes" % (match.group(1), len(data)))
        data += bytes.fromhex(match.group(2))
    return bytes(data)


def parse_frames(block):
    """The first code block of an example: "frame N (L bytes)" lines, each followed by its dump."""
    frames, current = [], None
    for line in block.splitlines():
        header = FRAME_LINE.match(line)
        if header:
            current = (int(header.group(2)), [])
            frames.append(current)
        elif line.strip():
            current[1].append(line)
    result = []
    for length, lines in frames:
        data = parse_dump(lines)
        if len(data) != length:
            raise ValueError("frame of %d bytes announced, %d shown" % (length, len(data)))
        result.append(data)
    return result


def mac_input(frames):
    """Section 5: the length of each frame but the last, as a 4-byte big-endian number, then the frame."""
    return b"".join(struct.pack(">I", len(frame)) + frame for frame in frames[:-1])


def main():
    document = open(sys.argv[1], encoding="utf-8").read()
    failures, checked = [], 0

    def check(what, ok, detail=""):
        nonlocal checked
        checked += 1
        emit("check", what=what, ok=bool(ok), detail="" if ok else detail)
        if not ok:
            failures.append(what)

    examples = re.split(r"\n### (14\.\d+) (\w+)\n", section(document, 14))[1:]
    for number, name, text in zip(examples[0::3], examples[1::3], examples[2::3]):
        blocks = re.findall(r"```\n(.*?)```", text, re.S)
        shown = parse_frames(blocks[0])
        built = EXPECTED[name]
        for index in range(max(len(shown), len(built))):
            want = shown[index].hex(" ") if index < len(shown) else "(none)"
            got = built[index].hex(" ") if index < len(built) else "(none)"
            check("%s %s frame %d: section 15 encodes what section 14 shows" % (number, name, index),
                  want == got, "section 14: %s; section 15: %s" % (want, got))
        try:
            command, session, fixed, variable, body = codec.decode(codec.key, shown)
            again = codec.encode(codec.key, command, session, fixed, *variable,
                                 body=body if body is not None else b"")
            check("%s %s: decoded and encoded again unchanged" % (number, name), again == shown,
                  "encoded again: %s" % [f.hex(" ") for f in again])
            check("%s %s: in the session of section 14" % (number, name), session == SESSIONS[name],
                  "sender %s, receiver %s" % (session[0].hex(" "), session[1].hex(" ")))
        except codec.Dropped as reason:
            check("%s %s: decoded and encoded again unchanged" % (number, name), False, "dropped: %s" % reason)
        # The HMAC input: a dump in a second code block (14.1, 14.2) or inline ("HMAC input: `...`").
        inline = re.search(r"HMAC input: `([0-9a-f ]+)`", text)
        if len(blocks) > 1 or inline:
            documented = parse_dump(blocks[1].splitlines()) if len(blocks) > 1 else bytes.fromhex(inline.group(1))
            check("%s %s: HMAC input as section 5 describes" % (number, name), documented == mac_input(shown),
                  "section 14: %s; section 5: %s" % (documented.hex(" "), mac_input(shown).hex(" ")))
            signature = hmac.new(codec.key, documented, hashlib.sha256).digest()
            check("%s %s: HMAC of that input is the last frame" % (number, name), signature == shown[-1],
                  "HMAC: %s" % signature.hex(" "))
    # Section 5's own example: the HMAC input and the HMAC of a DISCONNECT.
    text = section(document, 5)
    example = re.search(r"its HMAC is\s+`([0-9a-f]{64})`", text)
    check("5 DISCONNECT HMAC", example and bytes.fromhex(example.group(1)) == EXPECTED["DISCONNECT"][-1],
          "section 5 shows %s" % (example.group(1) if example else "no HMAC"))
    shown_input = re.search(r"DISCONNECT.*?is the \d+ bytes\s+`([0-9a-f ]+)`", text, re.S)
    check("5 DISCONNECT HMAC input",
          shown_input and bytes.fromhex(shown_input.group(1)) == mac_input(EXPECTED["DISCONNECT"]),
          "section 5 shows %s" % (shown_input.group(1) if shown_input else "no HMAC input"))
    emit("examples", checked=checked, failed=failures)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

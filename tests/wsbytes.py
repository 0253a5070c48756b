"""WebSocket frames as a browser sends them, and streams that break RFC 6455, for the tests of
the frame reader (test_wsframes.py) and of the protocol around it (test_wsprotocol.py)."""

from websockets.frames import Frame, Opcode


def client_frame(opcode: Opcode, data: bytes, fin: bool = True) -> bytes:
    """A frame as a browser sends it: masked with a random key."""
    return Frame(opcode, data, fin).serialize(mask=True)


# (bytes, why they break the protocol): each must close the connection with 1002
BROKEN_STREAMS = [
    (Frame(Opcode.BINARY, b"abc").serialize(mask=False), "not masked"),
    (bytes([0x82 | 0x40, 0x83]) + b"\x00" * 7, "RSV bit without an extension"),
    (bytes([0x83, 0x80, 0, 0, 0, 0]), "reserved opcode"),
    (client_frame(Opcode.CONT, b"x"), "continuation without a start"),
    (
        client_frame(Opcode.BINARY, b"a", fin=False) + client_frame(Opcode.TEXT, b"b"),
        "new message inside a fragmented one",
    ),
    (bytes([0x09, 0x81, 0, 0, 0, 0]) + b"p", "fragmented control frame"),
    (bytes([0x89, 0xFE, 0, 126]) + b"\x00" * 130, "control frame over 125 bytes"),
]

"""The WebSocket framing of wsframes.py, checked against the `websockets` library: what a
client library sends must read back as the same messages however TCP cuts it, what the server
writes must parse, and no input ever makes the reader raise."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.frames import Close, Frame, Opcode
from websockets.streams import StreamReader

from server import closecodes
from server.wsframes import (
    BINARY,
    CLOSE,
    PING,
    TEXT,
    FrameReader,
    accept_key,
    binary_frame,
    close_frame,
    parse_close,
)
from tests.wsbytes import BROKEN_STREAMS, client_frame


def server_frames(raw: bytes) -> list[Frame]:
    reader = StreamReader()
    reader.feed_data(raw)
    frames = []
    while reader.buffer:
        parser = Frame.parse(reader.read_exact, mask=False, max_size=None)
        try:
            next(parser)
        except StopIteration as done:
            frames.append(done.value)
    return frames


def feed_in_pieces(reader: FrameReader, raw: bytes, cuts: list[int]) -> list[tuple[int, bytes]]:
    out, last = [], 0
    for cut in sorted({c % (len(raw) + 1) for c in cuts}) + [len(raw)]:
        out += reader.feed(raw[last:cut])
        last = cut
    return out


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65_535, 65_536, 300_000])
def test_a_server_frame_of_any_length_parses_as_one_whole_binary_message(size):
    data = bytes(i % 251 for i in range(size))
    frames = server_frames(binary_frame(data) + binary_frame(b"next"))
    assert [(f.opcode, f.fin, f.data) for f in frames] == [
        (Opcode.BINARY, True, data),
        (Opcode.BINARY, True, b"next"),
    ]


@given(
    messages=st.lists(st.binary(max_size=70_000), min_size=1, max_size=5),
    cuts=st.lists(st.integers(min_value=0), max_size=12),
)
@settings(max_examples=60, deadline=None)
def test_client_messages_read_back_whole_however_tcp_cuts_them(messages, cuts):
    raw = b"".join(client_frame(Opcode.BINARY, m) for m in messages)
    assert feed_in_pieces(FrameReader(100_000), raw, cuts) == [(BINARY, m) for m in messages]


def test_fragments_are_joined_and_a_ping_between_them_is_answered_first():
    raw = (
        client_frame(Opcode.BINARY, b"Oma ", fin=False)
        + client_frame(Opcode.PING, b"p")
        + client_frame(Opcode.CONT, b"Wi", fin=False)
        + client_frame(Opcode.CONT, "\u00eb".encode() + b"be")
    )
    assert FrameReader(1000).feed(raw) == [(PING, b"p"), (BINARY, "Oma Wiëbe".encode())]
    assert FrameReader(1000).feed(client_frame(Opcode.TEXT, b"hallo")) == [(TEXT, b"hallo")]


@pytest.mark.parametrize("raw, why", BROKEN_STREAMS)
def test_broken_streams_are_refused_with_1002_and_read_no_further(raw, why):
    reader = FrameReader(1000)
    reader.feed(raw)
    assert reader.error is not None and reader.error.code == closecodes.PROTOCOL_ERROR, why
    assert reader.feed(client_frame(Opcode.BINARY, b"daarna")) == []


def test_a_message_too_big_is_refused_early_and_the_close_after_it_still_read():
    reader = FrameReader(1000)
    big = client_frame(Opcode.BINARY, b"\x00" * 5000)
    assert reader.feed(big[:100]) == []  # the header is enough to know
    assert reader.error.code == closecodes.TOO_BIG
    assert reader.error.reason == "Bericht groter dan 1000 bytes"
    closing = client_frame(Opcode.CLOSE, Close(1000, "").serialize())
    assert reader.feed(big[100:] + closing) == [(CLOSE, b"\x03\xe8")]
    # fragments count together
    reader = FrameReader(1000)
    reader.feed(
        client_frame(Opcode.BINARY, b"x" * 600, fin=False) + client_frame(Opcode.CONT, b"x" * 600)
    )
    assert reader.error.code == closecodes.TOO_BIG


@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0), max_size=6))
@settings(max_examples=300, deadline=None)
def test_no_input_makes_the_reader_raise(raw, cuts):
    reader = FrameReader(1000)
    for opcode, payload in feed_in_pieces(reader, raw, cuts):
        assert opcode in (TEXT, BINARY, CLOSE, PING, 0xA) and isinstance(payload, bytes)
    assert reader.error is None or reader.error.code in (
        closecodes.PROTOCOL_ERROR,
        closecodes.TOO_BIG,
    )


def test_close_frames_carry_the_code_and_a_reason_cut_at_whole_characters():
    [frame] = server_frames(close_frame(4403, "Dit bord is nu niet zichtbaar"))
    assert Close.parse(frame.data) == Close(4403, "Dit bord is nu niet zichtbaar")
    [frame] = server_frames(close_frame(1009, "ë" * 100))  # 200 bytes of UTF-8
    close = Close.parse(frame.data)
    assert close.code == 1009 and close.reason == "ë" * 61 and len(frame.data) <= 125
    assert parse_close(b"") == (1005, "")
    assert parse_close(Close(4401, "Ongeldige link").serialize()) == (4401, "Ongeldige link")
    # too short, 1005 sent, 2500 (left unassigned by the RFC), a reason that is not UTF-8
    for bad in (b"\x03", b"\x03\xed", b"\x09\xc4", b"\x03\xe8\xff"):
        with pytest.raises(Exception) as refused:
            parse_close(bad)
        assert refused.value.code in (closecodes.PROTOCOL_ERROR, 1007)


def test_handshake_accept_key_is_the_one_from_rfc_6455():
    assert accept_key(b"dGhlIHNhbXBsZSBub25jZQ==") == b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    assert accept_key(b"kort") is None and accept_key(b"!!!") is None

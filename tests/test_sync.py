"""The wire protocol as pure functions: strict decoding and correct UTF-8 lengths."""

import json

import pytest
from pycrdt import Awareness, Doc, Map

from server.sync import (
    AwarenessEntry,
    AwarenessMessage,
    ProtocolError,
    QueryAwareness,
    SyncMessage,
    encode_awareness,
    encode_sync_step1,
    encode_update,
    parse_message,
)


def test_sync_messages_round_trip():
    doc = Doc()
    doc.get("notes", type=Map)["a"] = "x"
    update = doc.get_update()
    msg = parse_message(encode_update(update))
    assert isinstance(msg, SyncMessage) and msg.kind == 2 and msg.payload == update
    step1 = parse_message(encode_sync_step1(doc.get_state()))
    assert step1.kind == 0 and step1.payload == doc.get_state()


@pytest.mark.parametrize("name", ["Eliëtte", "Aïsha", "Oma Wiëbe 👵"])
def test_awareness_keeps_dutch_names_intact(name):
    state = json.dumps({"user": {"name": name}}, ensure_ascii=False)
    data = encode_awareness([AwarenessEntry(7, 3, state)])
    msg = parse_message(data)
    assert isinstance(msg, AwarenessMessage)
    assert json.loads(msg.entries[0].state) == {"user": {"name": name}}
    # and pycrdt's own Awareness (byte-based decoding) reads what we wrote
    awareness = Awareness(Doc())
    awareness.apply_awareness_update(data[2:], "test")  # strip type and length prefix
    assert awareness.states[7] == {"user": {"name": name}}


def test_pycrdt_encoder_gets_utf8_lengths_wrong_which_is_why_we_encode_ourselves():
    from pycrdt import Encoder

    enc = Encoder()
    enc.write_var_string("Eliëtte")
    wrong = enc.to_bytes()
    assert wrong[0] == 7 and len(wrong) - 1 == 8  # says 7, writes 8 bytes


@pytest.mark.parametrize(
    "data",
    [
        b"",  # nothing
        b"\x00",  # sync without subtype
        b"\x00\x05\x00",  # unknown sync subtype
        b"\x00\x02\x10abc",  # payload shorter than its length
        b"\x00\x02\x01a\xff",  # trailing bytes
        b"\x09",  # unknown message type
        b"\x01\x05\x01\x07\x01\x04nul",  # truncated awareness
        b"\x01\x06\x01\x07\x01\x03{x}",  # awareness state that is not JSON
        b"\x01\x06\x01\x07\x01\x03[1]",  # awareness state that is not an object
        b"\x01\x05\x01\x07\x01\x02\xc3\x28",  # invalid UTF-8
        b"\x00\x02" + b"\xff" * 12,  # absurdly large number
    ],
)
def test_malformed_messages_raise_protocol_error(data):
    with pytest.raises(ProtocolError):
        parse_message(data)


def test_query_awareness_and_removal_entries():
    assert isinstance(parse_message(b"\x03"), QueryAwareness)
    msg = parse_message(encode_awareness([AwarenessEntry(1, 2, "null")]))
    assert msg.entries[0].removed


def test_sync_messages_are_the_y_websocket_bytes():
    """pycrdt's encoders (server/sync.py uses them) write what the stock client expects:
    type 0, the subtype, then the payload with its length."""
    from server.sync import encode_sync_step1, encode_sync_step2, encode_update, write_uint

    payload = bytes(range(200))  # a length over 127 takes two bytes
    for encode, subtype in ((encode_sync_step1, 0), (encode_sync_step2, 1), (encode_update, 2)):
        assert encode(payload) == b"\x00" + bytes([subtype]) + write_uint(200) + payload

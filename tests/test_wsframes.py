"""The frames wsprotocol.py writes past the `websockets` library must be ones it reads back."""

import pytest
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from server.wsframes import binary_frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65_535, 65_536, 300_000])
def test_a_binary_frame_of_any_length_parses_as_one_whole_binary_message(size):
    data = bytes(i % 251 for i in range(size))
    reader = StreamReader()
    reader.feed_data(binary_frame(data) + binary_frame(b"next"))
    parser = Frame.parse(reader.read_exact, mask=False, max_size=None)
    try:
        next(parser)
    except StopIteration as done:
        frame = done.value
    assert frame.opcode is Opcode.BINARY and frame.fin and frame.data == data
    parser = Frame.parse(reader.read_exact, mask=False)  # the next frame starts right after
    try:
        next(parser)
    except StopIteration as done:
        assert done.value.data == b"next"

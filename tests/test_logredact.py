"""Links never reach the log: role links, plan links and tokens in query strings."""

from server.logredact import redact


def test_every_kind_of_link_is_redacted():
    line = (
        '"GET /j/Abc123_geheim/plan HTTP/1.1" "GET /p/DeelLink99 HTTP/1.1" '
        '"WebSocket /ws/m1/drieluik?token=Xyz987&device=tablet" [accepted]'
    )
    clean = redact(line)
    for secret in ("Abc123_geheim", "DeelLink99", "Xyz987"):
        assert secret not in clean
    assert "/ws/m1/drieluik" in clean and "/plan" in clean

"""Settings from the environment: one variable per Config field, named after the field, read by
the field's type; a bad value is a clear error, and `netwerkbord serve` says so and stops. It
also stops when the browser bundle is missing."""

import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from server.cli import missing_bundle
from server.config import ENV_NAME_EXCEPTIONS, Config, ConfigError, env_name

ROOT = Path(__file__).resolve().parent.parent

# Every variable the README and the old table (_NUMERIC_ENV) named before the variables were
# derived from the fields: each must keep working, with the field it set.
NAMES_BEFORE = {
    "NETWERKBORD_DATA": "data_dir",
    "NETWERKBORD_ADMIN_KEY": "admin_key",
    "NETWERKBORD_MAX_MESSAGE_BYTES": "max_message_bytes",
    "NETWERKBORD_RETENTION_DAYS": "retention_days",
    "NETWERKBORD_SYNCHRONOUS": "synchronous",
    **{
        f"NETWERKBORD_{name.upper()}": name
        for name in (
            "send_queue_size",
            "max_send_queue_bytes",
            "idle_unload_seconds",
            "compact_after",
            "max_messages_per_second",
            "message_burst",
            "max_connections_per_meeting",
            "max_boards_per_meeting",
            "max_active_meetings",
            "max_meetings",
            "idle_timeout_seconds",
            "auth_failure_burst",
            "board_quota_bytes",
            "meeting_quota_bytes",
            "auth_failures_per_minute",
            "max_body_bytes",
            "max_header_bytes",
            "header_timeout_seconds",
            "body_timeout_seconds",
            "max_half_open_per_address",
            "meetings_per_hour",
            "max_participants",
            "max_awareness_state_bytes",
            "max_awareness_states_per_connection",
            "max_awareness_json_depth",
            "awareness_bytes_per_second",
            "awareness_burst_bytes",
            "awareness_connection_bytes_per_second",
            "awareness_connection_burst_bytes",
            "awareness_query_seconds",
        )
    },
}


def sample(name: str, default: object) -> tuple[str, object]:
    """A value for a field other than its default, as text and as the value it should become."""
    if name == "synchronous":
        return "full", "FULL"
    if isinstance(default, bool):
        return "ja", not default
    if isinstance(default, int):
        return "1_234", 1234
    if isinstance(default, float):
        return "2.5", 2.5
    if name.endswith("_dir"):
        return "/srv/netwerkbord", Path("/srv/netwerkbord")
    return "geheime-sleutel", "geheime-sleutel"


def test_every_field_has_its_variable_named_after_it():
    for f in fields(Config):
        expected = ENV_NAME_EXCEPTIONS.get(f.name, f"NETWERKBORD_{f.name.upper()}")
        assert env_name(f.name) == expected
    assert ENV_NAME_EXCEPTIONS == {"data_dir": "NETWERKBORD_DATA"}  # the one exception


@pytest.mark.parametrize("field_name", [f.name for f in fields(Config)])
def test_every_field_can_be_set_from_the_environment(field_name):
    text, value = sample(field_name, getattr(Config(), field_name))
    config = Config.from_env({env_name(field_name): text})
    assert getattr(config, field_name) == value
    assert config == Config(**{field_name: value})  # nothing else changed


@pytest.mark.parametrize("variable", sorted(NAMES_BEFORE))
def test_the_names_from_before_still_work(variable):
    name = NAMES_BEFORE[variable]
    text, value = sample(name, getattr(Config(), name))
    assert getattr(Config.from_env({variable: text}), name) == value


def test_values_are_read_by_the_fields_type():
    config = Config.from_env(
        {
            "NETWERKBORD_MAX_BODY_BYTES": " 2048 ",
            "NETWERKBORD_RETENTION_DAYS": "7",
            "NETWERKBORD_IDLE_TIMEOUT_SECONDS": "1e2",
            "NETWERKBORD_SYNCHRONOUS": "Normal",
            "NETWERKBORD_DATA": "gegevens",
        }
    )
    assert config.max_body_bytes == 2048 and type(config.max_body_bytes) is int
    assert config.retention_days == 7.0 and type(config.retention_days) is float
    assert config.idle_timeout_seconds == 100.0
    assert config.synchronous == "NORMAL" and config.data_dir == Path("gegevens")


def test_an_empty_variable_is_not_set_and_flags_win():
    config = Config.from_env(
        {"NETWERKBORD_ADMIN_KEY": "", "NETWERKBORD_MAX_BODY_BYTES": " ", "NETWERKBORD_DATA": ""}
    )
    assert config == Config()
    config = Config.from_env(
        {"NETWERKBORD_DATA": "env", "NETWERKBORD_ADMIN_KEY": "uit-env"},
        data_dir=Path("flag"),
        admin_key=None,
    )
    assert config.data_dir == Path("flag") and config.admin_key == "uit-env"


def test_other_variables_are_left_alone():
    assert Config.from_env({"NETWERKBORD_CHROMIUM": "/usr/bin/chromium", "HOME": "/"}) == Config()


@pytest.mark.parametrize(
    "variable, text, message",
    [
        (
            "NETWERKBORD_BOARD_QUOTA_BYTES",
            "veel",
            "NETWERKBORD_BOARD_QUOTA_BYTES must be a whole number, got 'veel'",
        ),
        (
            "NETWERKBORD_MAX_PARTICIPANTS",
            "2.5",
            "NETWERKBORD_MAX_PARTICIPANTS must be a whole number, got '2.5'",
        ),
        (
            "NETWERKBORD_MAX_BODY_BYTES",
            "-1",
            "NETWERKBORD_MAX_BODY_BYTES must be 0 or more, got '-1'",
        ),
        (
            "NETWERKBORD_RETENTION_DAYS",
            "drie",
            "NETWERKBORD_RETENTION_DAYS must be a number (such as 2 or 0.5), got 'drie'",
        ),
        (
            "NETWERKBORD_IDLE_TIMEOUT_SECONDS",
            "inf",
            "NETWERKBORD_IDLE_TIMEOUT_SECONDS must be a number (such as 2 or 0.5), got 'inf'",
        ),
        (
            "NETWERKBORD_AWARENESS_QUERY_SECONDS",
            "-0.5",
            "NETWERKBORD_AWARENESS_QUERY_SECONDS must be 0 or more, got '-0.5'",
        ),
        (
            "NETWERKBORD_SYNCHRONOUS",
            "OFF",
            "NETWERKBORD_SYNCHRONOUS must be NORMAL or FULL, got 'OFF'",
        ),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_should_be(variable, text, message):
    with pytest.raises(ConfigError) as caught:
        Config.from_env({variable: text})
    assert str(caught.value) == message


def serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`netwerkbord serve` in a child process that is expected to stop at once."""
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--port", "9", *args],
        cwd=ROOT,
        check=False,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("NETWERKBORD_")}, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_stops_with_the_message_for_a_bad_value(tmp_path):
    done = serve({"NETWERKBORD_BOARD_QUOTA_BYTES": "veel"}, "--data", str(tmp_path))
    assert done.returncode != 0
    assert done.stderr.strip() == (
        "netwerkbord: NETWERKBORD_BOARD_QUOTA_BYTES must be a whole number, got 'veel'"
    )
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "netwerkbord.db").exists()


def test_serve_refuses_to_start_without_the_browser_bundle(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    done = serve({"NETWERKBORD_STATIC_DIR": str(static)}, "--data", str(tmp_path / "data"))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert str(static / "build" / "app.js") in done.stderr
    assert "scripts/setup.sh" in done.stderr
    assert not (tmp_path / "data").exists()


def test_the_bundle_check_passes_when_the_bundle_is_there(tmp_path):
    assert missing_bundle(Config(static_dir=tmp_path)) is not None
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "app.js").write_text("export {}\n")
    assert missing_bundle(Config(static_dir=tmp_path)) is None
    # scripts/setup.sh builds it before the tests: the test servers (serverprocess.py) need it.
    assert missing_bundle(Config()) is None, "run bash scripts/setup.sh"

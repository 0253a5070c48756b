"""The wheel carries everything `netwerkbord serve` needs: the pages and the browser bundle."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_the_pages_and_the_built_browser_bundle(tmp_path):
    assert (ROOT / "server" / "static" / "build" / "app.js").is_file()  # scripts/setup.sh
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (wheel,) = tmp_path.glob("netwerkbord-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "server/static/build/app.js",
        "server/static/js/app.js",
        "server/static/css/base.css",
        "server/templates/app.html",
        "server/templates/base.html",
        "board/schema.py",
        "server/cli.py",
    ):
        assert needed in names, needed

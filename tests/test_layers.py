"""The layering is checked, not hoped for: each layer imports only those below it, and only the reader imports Textual."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the test extra"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "6 kept" in result.stdout


def test_the_readme_names_the_command_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in readme and "<!-- run-command -->" in readme
    assert "README.md" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")

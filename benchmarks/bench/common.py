"""What every part of the benchmark shares: where the project and its venv are, the
terminal's size, how long output must be quiet, what is looked for on screen, and the
progress log (on stderr)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
COLS, ROWS = 80, 24
QUIET = 0.10  # output has "gone quiet" after this long without a byte
SETTLE = 0.30  # quiet period before a measured key, after start-up and screen changes
KEY_TIMEOUT = 3.0  # longest wait for the answer to one key
FRAME_GAP = 0.008  # chunks closer than this belong to one frame (Textual draws ≤ 60 frames/s)
MOVE_BYTES = 800  # docs/design.md §7: bytes per item-move key
ROW_MARK = "Synthetic brief"
BARE_MARK = "Bare Textual app ready"
PANE_MARK = "Key facts"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)

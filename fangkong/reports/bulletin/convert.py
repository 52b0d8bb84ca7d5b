"""Converting a bulletin with LibreOffice headless (tests, and the picture in docs/)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")


def libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def convert(source: Path, *, to: str, out_dir: Path, timeout: int = 180) -> Path:
    """Convert with a private LibreOffice profile; raise if no file comes out."""
    binary = libreoffice()
    if binary is None:
        raise FileNotFoundError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory() as profile:
        env = os.environ | {"FONTCONFIG_FILE": str(FONTS_CONF), "HOME": profile}
        result = subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", to, "--outdir", str(out_dir), str(source)],
            capture_output=True, text=True, timeout=timeout, env=env, check=False,
        )  # fmt: skip
    target = out_dir / f"{source.stem}.{to.split(':')[0]}"
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        raise RuntimeError(f"LibreOffice could not convert {source.name}: {result.stderr[-500:]}")
    return target

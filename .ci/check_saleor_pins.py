"""Installing the wheel into an environment pinned like Saleor's moves none of its packages.

    python3.12 .ci/check_saleor_pins.py dist/saleor_ma_plugin-*.whl .ci/saleor-pins/*.txt

For each pins file: a fresh virtual environment gets Saleor's pinned versions of every
package our wheel would bring in, then the wheel is installed as an operator would (plain
``pip install``, no constraints); the check fails if any package already there changed.
"""

import json
import subprocess
import sys
import tempfile
import venv
from pathlib import Path


def pip(environment: Path, *args: str) -> str:
    command = [str(environment / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    return subprocess.run([*command, *args], check=True, capture_output=True, text=True).stdout


def frozen(environment: Path) -> dict[str, str]:
    listed = json.loads(pip(environment, "list", "--format", "json"))
    return {item["name"].lower().replace("_", "-"): item["version"] for item in listed}


def pins(path: Path) -> dict[str, str]:
    lines = [line.strip() for line in path.read_text().splitlines()]
    pairs = (line.split("==") for line in lines if line and not line.startswith("#"))
    return {name.lower().replace("_", "-"): version for name, version in pairs}


def check(wheel: Path, pins_file: Path) -> list[str]:
    pinned = pins(pins_file)
    with tempfile.TemporaryDirectory() as folder:
        environment = Path(folder) / "venv"
        venv.create(environment, with_pip=True)
        report = Path(folder) / "report.json"
        pip(
            environment,
            "install",
            "--dry-run",
            "--ignore-installed",
            "--report",
            str(report),
            str(wheel),
        )
        wanted = {
            item["metadata"]["name"].lower().replace("_", "-")
            for item in json.loads(report.read_text())["install"]
        }
        shop = sorted(f"{name}=={pinned[name]}" for name in wanted if name in pinned)
        pip(environment, "install", "--no-deps", *shop)
        before = frozen(environment)
        pip(environment, "install", str(wheel))
        after = frozen(environment)
    print(f"{pins_file.name}: {len(shop)} of the wheel's {len(wanted)} packages are Saleor's")
    return [
        f"{pins_file.name}: {name} {version} -> {after.get(name, 'removed')}"
        for name, version in sorted(before.items())
        if after.get(name) != version
    ]


def main() -> int:
    wheel, *pins_files = (Path(argument) for argument in sys.argv[1:])
    moved = [change for pins_file in pins_files for change in check(wheel, pins_file)]
    for change in moved:
        print(f"moved: {change}")
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main())

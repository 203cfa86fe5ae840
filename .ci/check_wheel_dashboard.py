"""The wheel carries the built dashboard app: its index page and every asset that page loads.

python .ci/check_wheel_dashboard.py dist/saleor_ma_plugin-*.whl
"""

import re
import sys
import zipfile

APP = "saleor_ma_plugin/dashboard/app/"


def main(wheel: str) -> None:
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    index = f"{APP}index.html"
    if index not in names:
        sys.exit(f"{wheel} has no {index}: was the wheel built without Node (hatch_build.py)?")
    html = archive.read(index).decode()
    referenced = sorted(set(re.findall(r'(?:src|href)="\./(assets/[^"]+)"', html)))
    missing = [path for path in referenced if f"{APP}{path}" not in names]
    scripts = [name for name in names if name.startswith(f"{APP}assets/") and name.endswith(".js")]
    stray = [name for name in names if "node_modules" in name or "/src/" in name]
    if not referenced or missing or not scripts or stray:
        sys.exit(
            f"the wheel's dashboard app is incomplete: index.html loads {referenced}, "
            f"missing {missing}, {len(scripts)} scripts, stray files {stray[:5]}"
        )
    print(
        f"wheel carries the dashboard app: index.html, {len(referenced)} entry assets, "
        f"{len(scripts)} scripts"
    )


if __name__ == "__main__":
    main(sys.argv[1])

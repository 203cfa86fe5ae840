"""Wheel build hook: the wheel carries the dashboard app, built from source with Node.

``python -m build --wheel`` runs ``npm ci`` and ``npm run build`` (codegen, type check, Vite)
in ``dashboard_extension/`` and puts its ``dist/`` into the wheel as
``saleor_ma_plugin/dashboard/app/``, where the plugin serves it from. Git holds no built
files, so a wheel cannot be built without Node 20 and npm; an editable install
(``pip install -e .``) skips this and serves ``dashboard_extension/dist`` of the checkout.
"""

import shutil
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: Where the plugin looks for the built app inside the installed package.
PACKAGED = "saleor_ma_plugin/dashboard/app"


class DashboardBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        app = Path(self.root) / "dashboard_extension"
        if not (app / "package-lock.json").is_file():
            raise RuntimeError(f"{app} is missing: the wheel is built from a full source tree.")
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                "Building the wheel needs Node 20 and npm: it carries the dashboard app, "
                "built from dashboard_extension/ (npm ci && npm run build)."
            )
        for command in (["ci", "--no-audit", "--no-fund"], ["run", "build"]):
            self.app.display_info(f"dashboard_extension: npm {' '.join(command)}")
            subprocess.run([npm, *command], cwd=app, check=True)
        dist = app / "dist"
        if not (dist / "index.html").is_file():
            raise RuntimeError(f"npm run build left no {dist / 'index.html'}.")
        build_data["force_include"][str(dist)] = PACKAGED

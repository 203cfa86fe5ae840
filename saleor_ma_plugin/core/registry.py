"""Finding the kinds of a registry package: every module in it is imported once."""

import pkgutil
from importlib import import_module
from types import ModuleType


def import_modules_of(package: ModuleType) -> None:
    """Import every module of ``package`` so the kinds they define register themselves.

    A new step type, trigger type or rule kind is then one new module, found here, with no
    list anywhere else to extend.
    """
    for module in pkgutil.iter_modules(package.__path__):
        import_module(f"{package.__name__}.{module.name}")

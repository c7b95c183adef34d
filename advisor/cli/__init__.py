"""The ``advisor`` command line (click): a thin layer over :mod:`advisor.api`."""

from .main import main

__all__ = ["main"]

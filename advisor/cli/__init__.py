"""The ``advisor`` command line (click): a thin layer over :mod:`advisor.api`."""

import gc

from .main import main

__all__ = ["main", "run"]


def run() -> None:
    """The ``advisor`` program: :func:`main`, then an exit that skips the collector's passes over the heap.

    At exit the interpreter runs the cyclic garbage collector over every object still alive (the knowledge base,
    the models' classes and validators, the templates), about a fifth of a cold command's time. Frozen, they are
    left to the operating system like the rest of the process's memory. Nothing of ours needs a collection to
    finish its work: outputs are written and closed before the command returns, standard streams are flushed by
    the interpreter, and ``atexit`` handlers (temporary folders, worker pools) still run. Only the program does
    this: :func:`main` called in a process that goes on (tests, a host application) leaves the collector alone.
    """
    try:
        main()
    finally:
        gc.freeze()

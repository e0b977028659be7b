"""Compatibility: the annotators' loop lives in the package ``reportie.annotation`` (store,
tools, loop, merge, lint; its command line is ``reportie.cli.annotate``); this module keeps
``from reportie.annotations import ...`` working."""

from .annotation import *  # noqa: F401,F403
from .annotation import __all__  # noqa: F401

"""A guard against a reference-counting bug in PySide6 6.12 on Python 3.11.

When Qt calls a Python override that returns ``None`` (``data()`` for a role the model does not
provide, for instance) or a ``bool``, PySide6 6.12.0 releases one reference too many to that
singleton. Python 3.12 and later make ``None``/``True``/``False`` immortal, so nothing happens
there; on Python 3.11 their counts slowly fall until the interpreter aborts with
"deallocating None" — after hours at a busy desk, or at the end of a long test run.

:func:`protect_singletons` gives these three objects what 3.12 gives them: a reference count so
high that no number of stray releases can reach zero. They are never freed in any case, so an
over-count costs nothing. The guard does nothing on Python 3.12+."""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 60


def protect_singletons() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for obj in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the object's first field
        if refcount.value < _HEADROOM:
            refcount.value += _HEADROOM

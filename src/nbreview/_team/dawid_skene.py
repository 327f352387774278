"""crowd-kit's DawidSkene class, without importing the rest of crowd-kit.

`from crowdkit.aggregation import DawidSkene` runs `crowdkit/aggregation/__init__.py`,
which imports every aggregator, and through the text ones NLTK: ~5 s of a lead's first
`quality()` (95% of it NLTK), for a class that needs only numpy, pandas and attrs. Here the
two packages on the way (`crowdkit.aggregation`, `.classification`) are entered as bare
namespaces just long enough to import `dawid_skene` and what it imports (`base`, `utils`,
`majority_vote`), then taken out of `sys.modules` again: a later `import
crowdkit.aggregation` (the user's own, or a test's) runs its `__init__` as usual and finds
the same submodules, so `DawidSkene` is one class either way.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any

PACKAGES = ("crowdkit.aggregation", "crowdkit.aggregation.classification")
MODULE = "crowdkit.aggregation.classification.dawid_skene"
_lock = threading.Lock()


def model() -> Any:
    """The DawidSkene class (imported once; the whole of crowd-kit when it is loaded)."""
    loaded = sys.modules.get(MODULE)
    if loaded is not None:
        return loaded.DawidSkene
    with _lock:
        if MODULE not in sys.modules:
            _import_alone()
    return sys.modules[MODULE].DawidSkene


def _import_alone() -> None:
    if any(name in sys.modules for name in PACKAGES):  # crowd-kit is (being) imported
        importlib.import_module(MODULE)
        return
    import crowdkit

    placed = []
    try:
        for name in PACKAGES:
            spec = importlib.util.find_spec(name)
            if spec is None or spec.submodule_search_locations is None:
                raise ImportError(f"crowd-kit has no package {name}")
            bare = types.ModuleType(name)
            bare.__path__ = list(spec.submodule_search_locations)
            bare.__package__ = name
            sys.modules[name] = bare
            placed.append(name)
        importlib.import_module(MODULE)
    finally:
        for name in placed:
            sys.modules.pop(name, None)
        if getattr(crowdkit, "aggregation", None) is not None and not hasattr(
            crowdkit.aggregation, "DawidSkene"
        ):
            del crowdkit.aggregation  # the bare namespace must not stay reachable

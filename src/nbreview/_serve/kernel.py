"""A served page needs a Python kernel to run in: say so before Voilà answers every page 500."""

from __future__ import annotations

KERNEL = "python3"
MISSING = (
    "nbreview serve: no Python kernel is installed, so every page would fail (HTTP 500); "
    'install one with pip install "nbreview[serve]" (it brings ipykernel), or '
    "python -m ipykernel install --user"
)


def missing_kernel() -> str | None:
    """Why no page could start its kernel, or None when a python3 kernel can be found."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError:
        return MISSING
    if KERNEL not in KernelSpecManager().find_kernel_specs():
        return MISSING
    return None

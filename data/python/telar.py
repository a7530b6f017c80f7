"""telar's helper for scenarios, as plain Python.

Under telar the engine provides a native module of the same name; this file
lets the same scenario run under plain python3 (put data/python on
PYTHONPATH, or copy this file beside the scenario).
"""

import time

__all__ = ["cpu", "label"]


def cpu(seconds):
    """Do CPU-bound work for `seconds`: under python3 this burns real CPU
    (holding the GIL, as pure-Python work does); under telar it takes that
    much virtual time."""
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n += 1
    return None


def label(obj, name):
    """Name a lock, queue or event for telar's screen; returns obj."""
    return obj

"""Attention Explorer core: the mathematics of attention in torch + numpy only.

Nothing in this package imports Qt, pyqtgraph or the ``explorer`` package (a test enforces it), so every
function here runs headless, in scripts, in tests and on any torch device.
"""

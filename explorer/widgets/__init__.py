"""Shared widgets every page uses: one heatmap, one bar chart, one vector canvas, one token strip, one
matrix editor. Importing this package configures pyqtgraph once for the whole app, and installs the hook that
counts views and leaves their scenes unindexed (explorer.widgets.repaint) before any view is made."""

import pyqtgraph as pg

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True, background="w", foreground="#303030")

from explorer.widgets import repaint as _repaint  # noqa: E402, F401  (installs the hook on import)

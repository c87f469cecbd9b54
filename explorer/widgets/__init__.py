"""Shared widgets every page uses: one heatmap, one bar chart, one vector canvas, one token strip, one
matrix editor. Importing this package configures pyqtgraph once for the whole app."""

import pyqtgraph as pg

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True, background="w", foreground="#303030")

"""Attention Explorer: the Qt application (pages, shared widgets, CLI) on top of the torch ``core``."""

__version__ = "0.1.0"
APP_NAME = "Attention Explorer"
ORGANIZATION = "AttentionExplorer"

"""Casefile: evidence review and exhibit bundles for AI model-distillation cases."""

__version__ = "0.1.0"
TOOL_NAME = "Casefile"

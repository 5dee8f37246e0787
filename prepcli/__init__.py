"""prep: interview preparation for ML/CV engineers."""

__version__ = "0.1.0"

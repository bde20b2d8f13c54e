"""fandesk: a self-hosted community desk for Xiaohongshu."""

__version__ = "0.1.0"

from seedbed.core.api import Input

__all__ = ["Input"]

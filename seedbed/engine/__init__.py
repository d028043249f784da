"""The intelligence library: arrays, sparse matrices, texts and edge lists in and out.

Nothing in here imports Django or a Seedbed app; an import-linter contract enforces it.
"""

"""Demo data for every app, loaded by ``seedbed demo``.

Kept out of the apps so the running product never carries it: no app imports this package
(an import-linter contract holds that), and it reaches the apps only through their models and
public services.
"""

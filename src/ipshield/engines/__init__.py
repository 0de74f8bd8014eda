"""Pure-Python engines for IPShield.

Everything under ``ipshield.engines`` is a plain library: it never imports Django
or any other part of ``ipshield``, so it can be used and tested on its own. An
import-linter contract in ``pyproject.toml`` enforces this.
"""

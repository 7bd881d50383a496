"""healthy control -- the project's sysconfig.py, os.py and site.py with
--no-import: static analysis only, so the probe runs nothing of the project
at all (issue 9: the facts child used to run its sysconfig.py even then).
The recipe and the oracle are those of healthy-project-sysconfig.
"""
import os
from recipes import scenario_module

_base = scenario_module("healthy-project-sysconfig")

TITLE = "healthy: --no-import runs nothing of the project (sysconfig.py, os.py, site.py)"
oracle = _base.oracle
after_route = _base.after_route


def build(ctx):
    return _base.build(ctx, args=["--no-import"])

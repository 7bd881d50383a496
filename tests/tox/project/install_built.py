"""Install the package with its compiled module into a tox env's
site-packages, as `pip install .` of a wheel would (tox here runs offline).
usage: install_built.py SITE_PACKAGES COMPILED_SO"""
import os
import shutil
import sys

site, so = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
dest = os.path.join(site, "fraise")
os.makedirs(dest, exist_ok=True)
shutil.copy(os.path.join(here, "fraise", "__init__.py"), dest)
shutil.copy(so, dest)

"""The tox test project's package (a source checkout: no compiled module)."""
try:
    from . import _fraise_rs
except ImportError:
    _fraise_rs = None

"""The example package's source checkout: no compiled module here."""
try:
    from . import _fraise_rs
except ImportError:
    _fraise_rs = None


def is_available():
    return _fraise_rs is not None

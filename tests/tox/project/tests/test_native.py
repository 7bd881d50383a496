"""The project's own test: the compiled module must be there."""
import fraise


def test_native_module_loaded():
    assert fraise._fraise_rs is not None

import pytest
import torch

from core import device


def test_auto_resolves_to_an_available_device_and_cpu_always_works():
    assert device.resolve("auto").type in device.available()
    assert device.resolve("cpu") == torch.device("cpu")
    assert device.describe(torch.device("cpu")) == "CPU"


def test_unknown_and_absent_devices_are_refused_clearly():
    with pytest.raises(ValueError, match="unknown device"):
        device.resolve("tpu")
    absent = [name for name in ("cuda", "mps") if name not in device.available()]
    for name in absent:
        with pytest.raises(ValueError, match="not available"):
            device.resolve(name)


def test_dtype_names_resolve():
    assert device.resolve_dtype("float64") is torch.float64
    assert device.resolve_dtype(None) is torch.float32
    with pytest.raises(ValueError):
        device.resolve_dtype("int8")


def test_small_machines_compute_on_one_thread_and_the_environment_can_override(monkeypatch):
    before = torch.get_num_threads()
    try:
        monkeypatch.delenv("ATTENTION_EXPLORER_THREADS", raising=False)
        assert device.configure_threads(cpu_count=2) == 1 and torch.get_num_threads() == 1
        monkeypatch.setenv("ATTENTION_EXPLORER_THREADS", "3")
        assert device.configure_threads(cpu_count=2) == 3 and torch.get_num_threads() == 3
    finally:
        torch.set_num_threads(before)

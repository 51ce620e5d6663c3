"""mixgemm.clocks without a GPU: the NVML calls through a fake library, the sampler's windows
and its fail-soft paths."""
import types

import pytest

from mixgemm import clocks


class FakeNvml:
    """Stands in for libnvidia-ml: each reading returns the next of `mhz` and `mw`."""

    def __init__(self, mhz=(1500, 1700, 1900), mw=(600000, 650000, 700000), fail=None):
        self.mhz, self.mw, self.fail, self.calls, self.bus = list(mhz), list(mw), fail, [], None
        self.i = 0

    def _status(self, name):
        self.calls.append(name)
        return 999 if name == self.fail else 0

    def nvmlInit_v2(self):
        return self._status("nvmlInit_v2")

    def nvmlDeviceGetHandleByPciBusId_v2(self, bus, handle):
        self.bus = bus
        return self._status("nvmlDeviceGetHandleByPciBusId_v2")

    def nvmlDeviceGetClockInfo(self, handle, kind, out):
        assert kind == clocks.NVML_CLOCK_SM
        out._obj.value = self.mhz[min(self.i, len(self.mhz) - 1)]
        return self._status("nvmlDeviceGetClockInfo")

    def nvmlDeviceGetPowerUsage(self, handle, out):
        out._obj.value = self.mw[min(self.i, len(self.mw) - 1)]
        self.i += 1
        return self._status("nvmlDeviceGetPowerUsage")


def test_pci_bus_id_is_nvmls_format():
    props = types.SimpleNamespace(pci_domain_id=0, pci_bus_id=0x19, pci_device_id=0)
    assert clocks.pci_bus_id(props) == "00000000:19:00.0"


def test_nvml_reads_clock_in_mhz_and_power_in_watts():
    lib = FakeNvml()
    nvml = clocks.Nvml("00000000:19:00.0", lib)
    assert lib.bus == b"00000000:19:00.0"
    assert nvml.sm_clock_mhz() == 1500 and nvml.power_w() == pytest.approx(600.0)


def test_nvml_errors_name_the_call():
    with pytest.raises(clocks.NvmlError, match="nvmlInit_v2 returned NVML error 999"):
        clocks.Nvml("x", FakeNvml(fail="nvmlInit_v2"))


def test_sampler_medians_over_a_window():
    lib = FakeNvml(mhz=(1500, 1700, 1900), mw=(600000, 650000, 700000))
    sampler = clocks.ClockSampler(clocks.Nvml("b", lib), period=3600)  # only the first reading
    with sampler:
        pass
    assert sampler.sm_mhz == 1500 and sampler.power_w == pytest.approx(600.0)
    with sampler:  # reusable: a new window, new readings
        pass
    assert sampler.sm_mhz == 1700


def test_sampler_polls_while_the_window_is_open():
    import time
    lib = FakeNvml(mhz=(1000, 2000, 2000, 2000), mw=(1,) * 4)
    sampler = clocks.ClockSampler(clocks.Nvml("b", lib), period=0.001)
    with sampler:
        time.sleep(0.05)
    assert lib.i >= 3 and sampler.sm_mhz == 2000  # the median of all readings


def test_sampler_without_nvml_records_nothing(capsys):
    props = types.SimpleNamespace()  # no PCI fields: an older torch, say
    sampler = clocks.ClockSampler.for_device(props)
    with sampler:
        pass
    assert sampler.sm_mhz is None and sampler.power_w is None
    assert "no SM clock or power readings" in capsys.readouterr().err


def test_sampler_stops_reading_after_an_nvml_error(capsys):
    lib = FakeNvml()
    sampler = clocks.ClockSampler(clocks.Nvml("b", lib), period=3600)
    lib.fail = "nvmlDeviceGetClockInfo"
    with sampler:
        pass
    assert sampler.sm_mhz is None and "readings stopped" in capsys.readouterr().err
    with sampler:  # later windows no longer ask
        pass
    assert lib.calls.count("nvmlDeviceGetClockInfo") == 1


def test_sampler_without_the_driver_library_records_nothing(monkeypatch, capsys):
    def no_library(name):
        raise OSError(f"{name}: cannot open shared object file")
    monkeypatch.setattr(clocks.ctypes, "CDLL", no_library)
    props = types.SimpleNamespace(pci_domain_id=0, pci_bus_id=1, pci_device_id=0)
    sampler = clocks.ClockSampler.for_device(props)
    with sampler:
        pass
    assert sampler.sm_mhz is None and "libnvidia-ml.so.1" in capsys.readouterr().err

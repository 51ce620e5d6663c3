"""The SM clock and board power while a benchmark measurement runs, for `mixgemm.bench`.

Under sustained load (about a second of back-to-back GEMMs) an H200 holds the largest decode
layers at its 700 W power cap, up to 20% below its maximum SM clock, while cuBLAS fp16 keeps
the full clock (bench/NOTES.md, sessions 26 and 27). A time is only comparable with the clock
it ran at, so each benchmark row records it. Nsight Compute, which locks the clocks to base by
default, does not show this. NVML refreshes both readings more slowly than the default
benchmark's millisecond measurements last (consecutive measurements often read exactly the
same clock and power), and its board power is an average over about a second, so for a short
measurement they describe the last second or so rather than the measurement alone; long ones
(`--replays 5000`) get readings of their own. (NVML's buffer of timestamped samples,
nvmlDeviceGetSamples, holds power every 20 ms but no SM clock samples on an H200: v137.)

The readings come from NVML, the driver's management library (libnvidia-ml), through ctypes:
no extra package. A thread polls it while the measurement runs. Where NVML cannot be loaded or
asked, the sampler says why once and records nothing, so the benchmark still runs.
"""
from __future__ import annotations

import ctypes
import statistics
import sys
import threading

NVML_CLOCK_SM = 1  # nvmlClockType_t


class NvmlError(RuntimeError):
    pass


class Nvml:
    """The few NVML calls the sampler needs, for one device."""

    def __init__(self, pci_bus_id: str, lib=None):
        self._lib = lib if lib is not None else ctypes.CDLL("libnvidia-ml.so.1")
        self._call("nvmlInit_v2")
        self._handle = ctypes.c_void_p()
        self._call("nvmlDeviceGetHandleByPciBusId_v2", pci_bus_id.encode(),
                   ctypes.byref(self._handle))

    def _call(self, name: str, *args) -> None:
        status = getattr(self._lib, name)(*args)
        if status != 0:
            raise NvmlError(f"{name} returned NVML error {status}")

    def sm_clock_mhz(self) -> int:
        v = ctypes.c_uint()
        self._call("nvmlDeviceGetClockInfo", self._handle, NVML_CLOCK_SM, ctypes.byref(v))
        return v.value

    def power_w(self) -> float:
        v = ctypes.c_uint()  # milliwatts
        self._call("nvmlDeviceGetPowerUsage", self._handle, ctypes.byref(v))
        return v.value / 1000.0


def pci_bus_id(props) -> str:
    """NVML's name for a device ("00000000:19:00.0") from torch's device properties."""
    return f"{props.pci_domain_id:08x}:{props.pci_bus_id:02x}:{props.pci_device_id:02x}.0"


class ClockSampler:
    """A reusable context manager: `with sampler: <measurement>` leaves the medians of the
    readings taken meanwhile in `sm_mhz` and `power_w` (None when there were none, or NVML is
    unavailable). Readings every `period` seconds, and one at the start of each window, so a
    short measurement has at least one."""

    def __init__(self, nvml: Nvml | None, period: float = 0.005):
        self._nvml, self._period = nvml, period
        self.sm_mhz: float | None = None
        self.power_w: float | None = None

    @classmethod
    def for_device(cls, props, period: float = 0.005) -> "ClockSampler":
        try:
            return cls(Nvml(pci_bus_id(props)), period)
        except Exception as e:  # no driver library, an older torch without PCI ids, NVML errors
            # (readings are an extra: the benchmark must run without them)
            print(f"no SM clock or power readings (NVML: {e})", file=sys.stderr, flush=True)
            return cls(None, period)

    def _read(self) -> None:
        try:
            self._samples.append((self._nvml.sm_clock_mhz(), self._nvml.power_w()))
        except Exception as e:  # NVML errors, or ctypes refusing a call: stop reading
            self._failed = e

    def _poll(self) -> None:
        while not self._stop.wait(self._period) and self._failed is None:
            self._read()

    def __enter__(self) -> "ClockSampler":
        self.sm_mhz = self.power_w = None
        if self._nvml is not None:
            self._samples, self._failed = [], None
            self._stop = threading.Event()
            self._read()
            self._thread = threading.Thread(target=self._poll, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._nvml is None:
            return
        self._stop.set()
        self._thread.join()
        if self._failed is not None:
            print(f"SM clock readings stopped (NVML: {self._failed})", file=sys.stderr,
                  flush=True)
            self._nvml = None
        if self._samples:
            self.sm_mhz = statistics.median(s[0] for s in self._samples)
            self.power_w = statistics.median(s[1] for s in self._samples)

"""Render configs into generated/: kernel shards, dispatch table, header, manifest, ninja file.

Everything comes from ONE sorted config list in one pass, so the kernels, the C table, the
header and the manifest cannot drift apart. Output is deterministic (sorted, no timestamps)
and a file is only rewritten when its content changes, which keeps ninja's mtimes meaningful.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Sequence

import jinja2

from . import build as toolchain
from .config import KernelConfig
from .enums import PER_CHANNEL, STATUS_CODES, ActDtype, Arch, WeightFormat
from .heuristic_table import RULES

DEFAULT_SHARD_SIZE = 4  # kernels per translation unit: the nvcc front end dominates a TU


@dataclasses.dataclass
class EmitReport:
    written: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    removed: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(toolchain.TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render(template: str, **context) -> str:
    return _env().get_template(template).render(**context)


def shards(configs: Sequence[KernelConfig], shard_size: int) -> dict[str, list[KernelConfig]]:
    """{relative path: configs}, per family, in name order."""
    out: dict[str, list[KernelConfig]] = {}
    for arch in sorted({c.arch for c in configs}, key=lambda a: a.value):
        family = sorted((c for c in configs if c.arch is arch), key=lambda c: c.name)
        for i in range(0, len(family), shard_size):
            out[f"{arch.value}/kernels_{i // shard_size:02d}.cu"] = family[i : i + shard_size]
    return out


def manifest(configs: Sequence[KernelConfig], shard_map: dict[str, list[KernelConfig]]) -> dict:
    return {
        "abi_version": 1,
        "kernels": [c.as_manifest() for c in configs],
        "shards": {path: [c.name for c in cs] for path, cs in shard_map.items()},
        "heuristic": [
            {"max_m": r.max_m, "choices": [dataclasses.asdict(c) for c in r.choices]}
            for r in RULES
        ],
    }


def render_sources(configs: Sequence[KernelConfig], shard_size: int = DEFAULT_SHARD_SIZE
                   ) -> dict[str, str]:
    """Every generated file except build.ninja: {path relative to generated/: text}."""
    configs = sorted(configs, key=lambda c: c.name)
    names = [c.name for c in configs]
    if len(set(names)) != len(names):
        raise ValueError("duplicate kernel names in the config list")
    shard_map = shards(configs, shard_size)
    files = {}
    for path, cs in shard_map.items():
        files[path] = render("kernels.cu.j2", shard=path, configs=cs)
    files["dispatch.cu"] = render(
        "dispatch.cu.j2", configs=configs, rules=RULES, status_codes=STATUS_CODES
    )
    files["include/mixgemm.h"] = render(
        "mixgemm.h.j2",
        kernel_count=len(configs),
        status_codes=STATUS_CODES,
        dtypes=list(ActDtype),
        formats=list(WeightFormat),
        per_channel=PER_CHANNEL,
    )
    files["manifest.json"] = json.dumps(manifest(configs, shard_map), indent=2) + "\n"
    return files


def render_ninja(out_dir: Path, build_dir: Path, sources: Sequence[str], targets: tuple[str, ...],
                 cutlass_dir: str | None = None) -> str:
    """build.ninja for the given generated sources (paths relative to out_dir)."""
    nvcc = toolchain.find_nvcc()
    cutlass = toolchain.cutlass_root(cutlass_dir)

    def rel(p: Path) -> str:
        return os.path.relpath(p, out_dir)

    include_dirs = [
        rel(toolchain.TEMPLATES / "include"),
        "include",
        str(cutlass / "include"),
    ]
    cu_sources = sorted(s for s in sources if s.endswith(".cu"))

    def gencode(source: str) -> str:  # kernel shards live in generated/<family>/
        family = source.split("/")[0] if "/" in source else "sm80"
        return " ".join(toolchain.family_gencode(family, targets))

    objects = [(s, rel(build_dir / "obj" / (s[:-3] + ".o")), gencode(s)) for s in cu_sources]
    api = rel(toolchain.TEMPLATES / "src" / "api.cu")
    objects.append((api, rel(build_dir / "obj" / "api.o"), gencode("api.cu")))
    return render(
        "build.ninja.j2",
        nvcc=nvcc,
        cflags=toolchain.compile_flags(include_dirs, toolchain.build_key(nvcc, cutlass)),
        ldflags=toolchain.link_flags(targets),
        objects=objects,
        library=rel(build_dir / "libmixgemm.so"),
        header_in="include/mixgemm.h",
        header_out=rel(build_dir / "include" / "mixgemm.h"),
    )


def write_if_changed(path: Path, text: str, report: EmitReport, label: str) -> None:
    if path.exists() and path.read_text() == text:
        report.unchanged.append(label)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)
    report.written.append(label)


def emit(
    configs: Sequence[KernelConfig],
    out_dir: Path,
    build_dir: Path,
    targets: tuple[str, ...] = toolchain.DEFAULT_TARGETS,
    cutlass_dir: str | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
) -> EmitReport:
    if not configs:
        raise ValueError("no kernels selected: nothing to emit")
    out_dir, build_dir = Path(out_dir).resolve(), Path(build_dir).resolve()
    report = EmitReport()
    files = render_sources(configs, shard_size)
    for rel_path, text in sorted(files.items()):
        write_if_changed(out_dir / rel_path, text, report, rel_path)
    # Shards of an earlier, larger emission would otherwise linger (and be linked).
    for arch in Arch:
        for old in sorted((out_dir / arch.value).glob("kernels_*.cu")):
            rel_path = f"{arch.value}/{old.name}"
            if rel_path not in files:
                old.unlink()
                report.removed.append(rel_path)
    try:
        ninja = render_ninja(out_dir, build_dir, list(files), targets, cutlass_dir)
        write_if_changed(out_dir / "build.ninja", ninja, report, "build.ninja")
    except toolchain.ToolchainError as e:
        report.notes.append(f"build.ninja not written: {e}")
    return report


def emitted_sources(out_dir: Path) -> list[str]:
    """The sources named by an existing manifest.json (for `codegen build`)."""
    data = json.loads((Path(out_dir) / "manifest.json").read_text())
    return sorted(data["shards"]) + ["dispatch.cu", "include/mixgemm.h"]

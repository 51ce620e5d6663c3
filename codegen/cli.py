"""`codegen list | emit | build`: the command line of the generator."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import build as toolchain
from .catalog import Selection, parse_group, select
from .config import ConfigError, parse_name
from .emit import DEFAULT_SHARD_SIZE, emit, emitted_sources, render_ninja, write_if_changed
from .emit import EmitReport
from .enums import ActDtype, Arch

DEFAULT_OUT = toolchain.REPO_ROOT / "generated"
DEFAULT_BUILD = toolchain.REPO_ROOT / "build"


def _csv(ctx, param, value):
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def selection_options(f):
    opts = [
        click.option("--arch", callback=_csv, default="sm80,sm90", show_default=True,
                     help="Kernel families, comma-separated: " + ", ".join(a.value for a in Arch)),
        click.option("--bits", callback=_csv, default=None,
                     help="Weight bit widths, e.g. 3,4 (default: the family's default set)."),
        click.option("--group-size", "groups", callback=_csv, default=None,
                     help="Group sizes, e.g. 32,128,ch (ch: per channel; default: all)."),
        click.option("--dtype", callback=_csv, default=None,
                     help="Activation dtypes: f16, bf16 (default: both)."),
        click.option("--name", "globs", multiple=True,
                     help="Keep only kernels whose name matches this glob (repeatable)."),
        click.option("--kernel", "kernels", multiple=True,
                     help="Add a kernel by its full name, outside the catalog (repeatable)."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def make_selection(arch, bits, groups, dtype, globs, kernels) -> Selection:
    try:
        archs = [Arch(a) for a in arch]
        dtypes = [ActDtype(d) for d in dtype] if dtype else None
        extra = [parse_name(k) for k in kernels]
        sel = select(
            archs=archs,
            bits=[int(b) for b in bits] if bits else None,
            groups=[parse_group(g) for g in groups] if groups else None,
            dtypes=dtypes,
            globs=list(globs),
            extra=extra,
        )
    except (ValueError, ConfigError) as e:
        raise click.UsageError(str(e)) from None
    return sel


def report_pruned(sel: Selection) -> None:
    for cfg, reasons in sel.pruned:
        click.echo(f"pruned {cfg.name}: {'; '.join(reasons)}", err=True)


@click.group()
def main():
    """mixgemm kernel generator: list, emit and build mixed-input GEMM kernels."""


@main.command("list")
@selection_options
@click.option("--json", "as_json", is_flag=True, help="Print the manifest entries as JSON.")
def list_cmd(arch, bits, groups, dtype, globs, kernels, as_json):
    """Print the kernels `emit` would write with the same filters."""
    sel = make_selection(arch, bits, groups, dtype, globs, kernels)
    if as_json:
        click.echo(json.dumps([c.as_manifest() for c in sel.configs], indent=2))
    else:
        for cfg in sel.configs:
            click.echo(cfg.name)
    report_pruned(sel)
    click.echo(f"{len(sel.configs)} kernels, {len(sel.pruned)} pruned", err=True)


def _print_report(report: EmitReport) -> None:
    for label in report.written:
        click.echo(f"wrote   {label}")
    for label in report.removed:
        click.echo(f"removed {label}")
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
               f"{len(report.removed)} removed")


@main.command("emit")
@selection_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder for the generated sources.")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_BUILD, show_default=True, help="Where build.ninja puts the library.")
@click.option("--targets", default=",".join(toolchain.DEFAULT_TARGETS), show_default=True,
              help="Compile targets: " + ", ".join(toolchain.TARGETS))
@click.option("--cutlass-dir", default=None, envvar=toolchain.CUTLASS_ENV,
              help="CUTLASS root or include/ folder (default: the nvidia-cutlass package).")
@click.option("--shard-size", default=DEFAULT_SHARD_SIZE, show_default=True,
              help="Kernels per .cu file.")
def emit_cmd(arch, bits, groups, dtype, globs, kernels, out, build_dir, targets, cutlass_dir,
             shard_size):
    """Write kernels, dispatch table, mixgemm.h, manifest.json and build.ninja."""
    sel = make_selection(arch, bits, groups, dtype, globs, kernels)
    report_pruned(sel)
    if not sel.configs:
        raise click.UsageError("no kernels selected")
    try:
        report = emit(sel.configs, out, build_dir, toolchain.parse_targets(targets), cutlass_dir,
                      shard_size)
    except toolchain.ToolchainError as e:
        raise click.ClickException(str(e)) from None
    _print_report(report)
    click.echo(f"{len(sel.configs)} kernels in {out}")


@main.command("build")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder `codegen emit` wrote.")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_BUILD, show_default=True)
@click.option("--targets", default=None,
              help="Compile targets (default: those given to emit): " + ", ".join(toolchain.TARGETS))
@click.option("--cutlass-dir", default=None, envvar=toolchain.CUTLASS_ENV,
              help="CUTLASS root or include/ folder (default: the nvidia-cutlass package).")
@click.option("-j", "--jobs", type=int, default=None, help="Parallel compile jobs.")
@click.option("-v", "--verbose", is_flag=True, help="Show full compiler command lines.")
def build_cmd(out, build_dir, targets, cutlass_dir, jobs, verbose):
    """Compile the emitted sources into build/libmixgemm.so with ninja (no-op if up to date)."""
    out = out.resolve()
    if not (out / "manifest.json").exists():
        raise click.ClickException(f"{out}/manifest.json not found: run `codegen emit` first")
    try:
        if targets is not None or cutlass_dir is not None or not (out / "build.ninja").exists():
            ninja = render_ninja(out, Path(build_dir).resolve(), emitted_sources(out),
                                 toolchain.parse_targets(targets), cutlass_dir)
            write_if_changed(out / "build.ninja", ninja, EmitReport(), "build.ninja")
        toolchain.run_ninja(out, jobs=jobs, verbose=verbose)
    except toolchain.ToolchainError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"library: {Path(build_dir).resolve() / 'libmixgemm.so'}")


if __name__ == "__main__":
    sys.exit(main())

"""Render the charts to SVG/PNG bytes (for the PDF, the HTML and image export) and write
them all to a folder or a zip file."""
from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.figure import Figure

from analysis.atomic import atomic_path, write_bytes_atomic, write_text_atomic
from analysis.charts import ChartInstance, chart_instances
from analysis.progress import ProgressCallback, no_progress

__all__ = ["RenderedChart", "draw_figure", "unlaid_figure", "lay_out", "figure_images", "figure_raster", "render_chart",
           "render_charts", "export_charts", "chart_filename"]

_METADATA = re.compile(rb"<metadata>.*?</metadata>\s*", re.S)


@dataclass(frozen=True)
class RenderedChart:
    """A chart drawn once: its instance, caption and image bytes by format."""

    instance: ChartInstance
    caption: str
    images: dict[str, bytes]


def chart_filename(index: int, instance: ChartInstance) -> str:
    """``"03_keyness_chinese_vs_western_a"``: ordered, safe on every file system."""
    key = instance.key.replace("|", "_vs_").replace(":", "_")
    key = re.sub(r"[^\w.-]+", "_", key, flags=re.ASCII).strip("_") or "chart"
    return f"{index:02d}_{key[:80]}"


class _LayoutCanvas(FigureCanvasBase):
    """A figure's canvas that lends ``tight_layout`` one Agg renderer per dpi for every
    chart. Without it each layout makes a new Agg renderer (through a throw-away PNG
    save), whose text sizes are then measured afresh; the sizes depend only on the text,
    its font and the dpi, so the charts are laid out exactly as before."""

    def get_renderer(self):
        return _layout_renderer(self.figure.dpi)


@functools.lru_cache(maxsize=4)
def _layout_renderer(dpi: float):
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, dpi)


def draw_figure(instance: ChartInstance, results, *, style=None) -> tuple[Figure, str]:
    """Draw ``instance`` on a new Figure laid out for saving; returns it and the caption."""
    fig, caption = unlaid_figure(instance, results, style=style)
    lay_out(fig)
    return fig, caption


def unlaid_figure(instance: ChartInstance, results, *, style=None) -> tuple[Figure, str]:
    """:func:`draw_figure` before its layout: the caption is known, the layout (most of
    the drawing's cost) still to do with :func:`lay_out`."""
    fig = Figure(figsize=instance.size)
    _LayoutCanvas(fig)
    ax = fig.add_subplot()
    caption = instance.draw(ax, results, style=style)
    return fig, caption


def lay_out(fig: Figure) -> None:
    """Fit a chart's axes, labels and legend to its figure for saving."""
    fig.tight_layout(pad=0.6)


def figure_images(fig: Figure, formats: Sequence[str] = ("svg",), *,
                  dpi: int = 150) -> dict[str, bytes]:
    """``fig`` saved in each of ``formats`` (svg, png): image bytes by format."""
    images = {}
    # Text as paths: the SVG then shows the same glyphs everywhere (PDF, browsers) without
    # the fonts installed; a fixed hash salt and no date keep the output reproducible.
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "sinoru"}):
        for fmt in formats:
            buf = io.BytesIO()
            if fmt == "svg":
                fig.savefig(buf, format="svg", metadata={"Date": None})
                images["svg"] = _METADATA.sub(b"", buf.getvalue())
            elif fmt == "png":
                fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
                images["png"] = buf.getvalue()
            else:
                raise ValueError(f"unknown chart format {fmt!r} (use 'svg' or 'png')")
    return images


def figure_raster(fig: Figure, dpi: int):
    """``fig`` drawn by Agg at ``dpi``, as a PIL image: the pixels of its PNG, without
    encoding a PNG for the PDF writer to decode again."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw",
                            "RGBA", 0, 1).copy()


def render_chart(instance: ChartInstance, results, formats: Sequence[str] = ("svg",),
                 *, dpi: int = 150, style=None) -> RenderedChart:
    """Draw ``instance`` on a new Figure and save it in each of ``formats`` (svg, png)."""
    fig, caption = draw_figure(instance, results, style=style)
    return RenderedChart(instance, caption, figure_images(fig, formats, dpi=dpi))


def render_charts(results, formats: Sequence[str] = ("svg",), *,
                  instances: Sequence[ChartInstance] | None = None,
                  progress: ProgressCallback | None = None, dpi: int = 150) -> list[RenderedChart]:
    progress = progress or no_progress
    todo = list(instances if instances is not None else chart_instances(results))
    out = []
    for i, inst in enumerate(todo):
        progress(i / max(1, len(todo)))
        out.append(render_chart(inst, results, formats, dpi=dpi))
    progress(1.0)
    return out


def export_charts(results, target_dir_or_zip: str | Path, formats: Sequence[str] = ("png", "svg"),
                  *, progress: ProgressCallback | None = None, dpi: int = 150,
                  keys: Sequence[str] | None = None) -> list[Path]:
    """Write every chart (or those whose key or chart id is in ``keys``) as PNG and/or SVG
    into a folder, or into a zip when the target ends with ``.zip``; a ``captions.txt``
    lists each file with its caption.

    Files are written atomically (the zip as a whole), so an interrupted export leaves no
    half-written file under its final name. Returns the paths written.
    """
    target = Path(target_dir_or_zip)
    instances = chart_instances(results)
    if keys is not None:
        wanted = set(keys)
        instances = [i for i in instances if i.key in wanted or i.chart_id in wanted]
    rendered = render_charts(results, formats, instances=instances, progress=progress, dpi=dpi)
    files: list[tuple[str, bytes]] = []
    captions = []
    for i, r in enumerate(rendered, 1):
        stem = chart_filename(i, r.instance)
        for fmt in formats:
            files.append((f"{stem}.{fmt}", r.images[fmt]))
        captions.append(f"{stem}: {r.instance.title}\n  {r.caption}\n")
    captions_text = "\n".join(captions)
    if target.suffix.lower() == ".zip":
        with atomic_path(target) as tmp:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for name, data in files:
                    zf.writestr(name, data)
                zf.writestr("captions.txt", captions_text)
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files:
        write_bytes_atomic(target / name, data)
        written.append(target / name)
    write_text_atomic(target / "captions.txt", captions_text)
    written.append(target / "captions.txt")
    return written

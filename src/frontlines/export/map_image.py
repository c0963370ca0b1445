"""The control map as an image (SVG or PNG) for publication, drawn with matplotlib from the same
`map_data` as the HTML map and the served page: base map, areas (hatched where weak), front
lines, places with the count of those placed approximately at them, labels that never cover
one another, legend, scale bar, title and a caption with the date and the sources count."""

from __future__ import annotations

import io
import math
import textwrap
from typing import Any

import shapely
from matplotlib.colors import to_rgb
from shapely.geometry import shape

from .map import long_day

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 8.0, 150
MAP_BOX = (0.01, 0.20, 0.98, 0.72)  # the map's frame in the figure: title above, legend and caption below
LEGEND_AT = (0.005, 0.195)
# A light backing that keeps labels legible over areas and hatching (a stroked halo would turn
# the SVG's text into paths, which translators on Wikimedia Commons could no longer edit).
HALO = {"boxstyle": "round,pad=0.12", "facecolor": "white", "alpha": 0.6, "edgecolor": "none"}
SEA, LAND, FOCUS_LAND = "#d9e6ee", "#ebe7de", "#faf8f3"
POSITIONS = ((9, 0, "left", "center"), (-9, 0, "right", "center"),
             (0, 9, "center", "bottom"), (0, -11, "center", "top"))  # offsets in points
NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
FORMATS = ("svg", "png")


def _path(geometry: shapely.Geometry):
    """A matplotlib path of a (multi)polygon, holes included."""
    from matplotlib.path import Path

    vertices, codes = [], []
    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = list(ring.coords)
            vertices += points
            codes += [Path.MOVETO] + [Path.LINETO] * (len(points) - 2) + [Path.CLOSEPOLY]
    return Path(vertices, codes) if vertices else None


def _polygons(ax: Any, features: list[dict], style: Any) -> None:
    from matplotlib.patches import PathPatch

    for feature in features:
        path = _path(shape(feature["geometry"]))
        if path is not None:
            ax.add_patch(PathPatch(path, **style(feature["properties"])))


def _lines(ax: Any, features: list[dict], **style: Any) -> None:
    for feature in features:
        for line in shapely.get_parts(shape(feature["geometry"])):
            if line.geom_type == "LineString":
                xs, ys = zip(*line.coords)
                ax.plot(xs, ys, **style)


def _marker_box(ax: Any, lon: float, lat: float, radius_pt: float = 4.5) -> Any:
    """The display box of a place's dot (a scatter's own extent is the whole collection's)."""
    from matplotlib.transforms import Bbox

    x, y = ax.transData.transform((lon, lat))
    r = radius_pt * ax.figure.dpi / 72
    return Bbox([[x - r, y - r], [x + r, y + r]])


class _Labeller:
    """Places each label at the first of four positions around its point where it lies wholly
    inside the map and covers no marker, no count, the scale bar, nor a label placed before
    it; drops it when none is free."""

    def __init__(self, ax: Any, obstacles: list[Any]) -> None:
        self.ax, self.placed = ax, list(obstacles)
        self.renderer = ax.figure.canvas.get_renderer()
        self.frame = ax.get_window_extent(self.renderer)

    def inside(self, box: Any) -> bool:
        return (box.x0 >= self.frame.x0 and box.y0 >= self.frame.y0 and
                box.x1 <= self.frame.x1 and box.y1 <= self.frame.y1)

    def add(self, lon: float, lat: float, text: str, **style: Any) -> bool:
        for dx, dy, ha, va in POSITIONS:
            label = self.ax.annotate(text, (lon, lat), xytext=(dx, dy), textcoords="offset points",
                                     ha=ha, va=va, parse_math=False, annotation_clip=True,
                                     bbox=HALO, **style)
            box = label.get_window_extent(self.renderer).expanded(1.04, 1.1)
            if self.inside(box) and not any(box.overlaps(other) for other in self.placed):
                self.placed.append(box)
                return True
            label.remove()
        return False


def _scale_bar(ax: Any) -> list[Any]:
    """A scale bar in the map's lower right corner; returns what it covers (label obstacles)."""
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    km_per_degree = 111.32 * math.cos(math.radians((south + north) / 2))
    width_km = (east - west) * km_per_degree
    length = max([k for k in NICE_KM if k <= width_km / 5] or [NICE_KM[0]])
    x0, y0 = east - (east - west) * 0.04 - length / km_per_degree, south + (north - south) * 0.04
    renderer = ax.figure.canvas.get_renderer()
    (bar,) = ax.plot([x0, x0 + length / km_per_degree], [y0, y0], color="#222", linewidth=2.5,
                     solid_capstyle="butt", zorder=9)
    text = ax.text(x0 + length / km_per_degree / 2, y0 + (north - south) * 0.012, f"{length} km",
                   ha="center", va="bottom", fontsize=8, parse_math=False, zorder=9)
    return [bar.get_window_extent(renderer).expanded(1.1, 4), text.get_window_extent(renderer).expanded(1.1, 1.2)]


def _legend(ax: Any, data: dict) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=s["colour"], alpha=0.45, edgecolor=s["colour"], label=s["label"])
               for s in data["sides"]]
    if data["hatched"]:
        handles.append(Patch(facecolor="none", edgecolor="#555", hatch="///",
                             label="hatched: unconfirmed, denied or low-confidence report"))
    if data["fronts"]:
        handles.append(Line2D([], [], color="#1b1b1b", linewidth=2.5, label="front line"))
    if any(p["group"] for p in data["places"]):
        handles.append(Patch(facecolor="#333", edgecolor="none",
                             label="+n under a town: places placed approximately at it"))
    # beneath the map, not on it: it covers no place
    ax.figure.legend(handles=handles, loc="upper left", bbox_to_anchor=LEGEND_AT, ncols=2, fontsize=8,
                     title=long_day(data["day"]), title_fontsize=9, alignment="left", frameon=False)


def render_image(data: dict, fmt: str) -> bytes:
    """The map of `data` (from `export.map.map_data`, with its base) as SVG or PNG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r} (known: {', '.join(FORMATS)})")
    with matplotlib.rc_context({"svg.fonttype": "none", "hatch.linewidth": 1.0,
                                "font.family": "DejaVu Sans"}):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        FigureCanvasAgg(figure)
        ax = figure.add_axes(MAP_BOX)
        _draw(ax, data)
        figure.text(0.5, 0.96, data["title"], ha="center", va="center", fontsize=13, weight="bold",
                    parse_math=False)
        figure.text(0.01, 0.05, "\n".join(textwrap.wrap(data["caption"], 150)), ha="left",
                    va="center", fontsize=7.5, color="#444", parse_math=False)
        out = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {}
        figure.savefig(out, format=fmt, metadata=metadata, facecolor="white")
    return out.getvalue()


def _filled_view(view: list[list[float]]) -> tuple[float, float, float, float]:
    """The story's view widened to the map frame's shape: more of the country, no blank margins.
    Returns west, east, south, north."""
    (south, west), (north, east) = view
    stretch = 1 / math.cos(math.radians((south + north) / 2))  # a degree of latitude, in degrees of longitude
    frame = (MAP_BOX[2] * WIDTH_IN) / (MAP_BOX[3] * HEIGHT_IN)
    wide, high = east - west, north - south
    if wide < frame * stretch * high:
        grow = (frame * stretch * high - wide) / 2
        west, east = west - grow, east + grow
    else:
        grow = (wide / (frame * stretch) - high) / 2
        south, north = south - grow, north + grow
    return west, east, south, north


def _draw(ax: Any, data: dict) -> None:
    west, east, south, north = _filled_view(data["view"])
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="box")
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    base = data.get("base") or {}
    _polygons(ax, (base.get("countries") or {}).get("features", []), lambda p: {
        "facecolor": FOCUS_LAND if p.get("focus") else LAND, "edgecolor": "#857f72" if p.get("focus") else "#aaa498",
        "linewidth": 1.1 if p.get("focus") else 0.6, "zorder": 1})
    _polygons(ax, (base.get("divisions") or {}).get("features", []), lambda p: {
        "facecolor": "none", "edgecolor": "#b9b2a4", "linewidth": 0.6, "linestyle": (0, (4, 3)), "zorder": 2})
    _polygons(ax, data["areas"], lambda p: (
        {"facecolor": (*to_rgb(p["colour"]), 0.1), "edgecolor": p["colour"], "hatch": "///",
         "linewidth": 0.6, "zorder": 3}
        if p["hatched"] else
        {"facecolor": p["colour"], "alpha": 0.33, "edgecolor": p["colour"], "linewidth": 0.6, "zorder": 3}))
    _lines(ax, data["fronts"], color="#1b1b1b", linewidth=2.2, zorder=4, solid_capstyle="round")
    ax.figure.canvas.draw()  # the view is final: label boxes can now be measured
    renderer = ax.figure.canvas.get_renderer()
    obstacles = _scale_bar(ax)
    for place in data["places"]:
        ax.scatter([place["lon"]], [place["lat"]], s=42, c=place["colour"], zorder=6,
                         edgecolors="#a04000" if place["weak"] else "#2b2b2b",
                         linewidths=1.4 if place["weak"] else 0.8,
                         linestyle="--" if place["weak"] else "-")
        obstacles.append(_marker_box(ax, place["lon"], place["lat"]))
        if place["group"]:
            badge = ax.annotate(f"+{len(place['group'])}", (place["lon"], place["lat"]), xytext=(0, -11),
                                textcoords="offset points", ha="center", va="top", fontsize=7,
                                color="white", weight="bold", zorder=7, parse_math=False,
                                bbox={"boxstyle": "round,pad=0.2", "facecolor": "#333", "edgecolor": "none"})
            obstacles.append(badge.get_window_extent(renderer))
    labeller = _Labeller(ax, obstacles)
    for label in data["labels"]:
        labeller.add(label["lon"], label["lat"], label["text"], fontsize=8, weight="bold", zorder=8,
                     color="#1d1d1d")
    marked = [(p["lon"], p["lat"]) for p in data["places"]]
    for town in base.get("towns") or []:
        if any(abs(town["lon"] - x) < 0.02 and abs(town["lat"] - y) < 0.02 for x, y in marked):
            continue
        dot = _marker_box(ax, town["lon"], town["lat"], radius_pt=1.5)
        if any(dot.overlaps(other) for other in labeller.placed):
            continue  # a town's dot under a label drawn already
        if labeller.add(town["lon"], town["lat"], town["name"], fontsize=7, style="italic",
                        color="#5d5a54", zorder=5):
            ax.scatter([town["lon"]], [town["lat"]], s=5, c="#6d6a64", zorder=5, linewidths=0)
            labeller.placed.append(dot)
    _legend(ax, data)

"""SVG charts of the nightly report, drawn with matplotlib (no display, thread-safe API)."""

import io
from typing import Any

import matplotlib as mpl
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from tracker.places import Region

# Stable element ids, so that the same figures give the same file.
mpl.rcParams["svg.hashsalt"] = "rights-tracker"
mpl.rcParams["svg.fonttype"] = "none"

COLOURS = {"raids": "#b2182b", "detentions": "#2166ac"}


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    return text[text.index("<svg") :]


def _legend(axes) -> None:
    """Above the plot, on the right, where it covers no bar."""
    axes.legend(frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncols=2)


def _when_empty(axes, rows: list[dict[str, Any]], *, vertical: bool) -> None:
    """No incident at all: a zero axis from 0 to 1 and a note, not a blank frame."""
    if any(row[key] for row in rows for key in COLOURS):
        return
    (axes.set_ylim if vertical else axes.set_xlim)(0, 1)
    (axes.set_yticks if vertical else axes.set_xticks)([0, 1])
    if not rows:  # no category either (no region had an incident)
        (axes.set_xticks if vertical else axes.set_yticks)([])
    axes.text(
        0.5,
        0.5,
        _("No incidents in this period"),
        transform=axes.transAxes,
        ha="center",
        va="center",
        color="#555555",
        fontsize=12,
    )


def _labels() -> dict[str, str]:
    return {"raids": _("raids"), "detentions": _("detentions")}


def by_month(rows: list[dict[str, Any]]) -> str:
    """Grouped bars: raids and detentions per month."""
    figure = Figure(figsize=(8, 3.2))
    # Fixed margins: a layout engine would draw the figure twice, doubling the cost.
    figure.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.25)
    axes = figure.subplots()
    positions = range(len(rows))
    width = 0.4
    for offset, (key, label) in zip((-width / 2, width / 2), _labels().items(), strict=True):
        axes.bar(
            [p + offset for p in positions],
            [row[key] for row in rows],
            width,
            label=label,
            color=COLOURS[key],
        )
    axes.set_xticks(list(positions), [row["month"] for row in rows], rotation=45, ha="right")
    axes.set_title(_("Incidents per month"), loc="left")
    axes.yaxis.get_major_locator().set_params(integer=True)
    _when_empty(axes, rows, vertical=True)
    _legend(axes)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def by_region(rows: list[dict[str, Any]]) -> str:
    """Stacked horizontal bars: raids and detentions per region."""
    names = dict(Region.choices)
    figure = Figure(figsize=(8, 0.4 * max(len(rows), 3) + 1))
    figure.subplots_adjust(
        left=0.25,
        right=0.98,
        top=1 - 0.5 / figure.get_figheight(),
        bottom=0.6 / figure.get_figheight(),
    )
    axes = figure.subplots()
    labels = [str(names.get(row["region"], row["region"])) for row in rows]
    left = [0] * len(rows)
    for key, label in _labels().items():
        values = [row[key] for row in rows]
        axes.barh(labels, values, left=left, label=label, color=COLOURS[key])
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.invert_yaxis()
    axes.set_title(_("Incidents per region, last 12 months"), loc="left")
    axes.xaxis.get_major_locator().set_params(integer=True)
    _when_empty(axes, rows, vertical=False)
    _legend(axes)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)

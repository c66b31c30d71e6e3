"""Bar charts drawn on the server, the one geometry behind components/bar_chart.html.

Every position is computed here so the template only places shapes. Two layouts share one shape:
`columns` (one vertical bar per month, with its scale) and `rows` (one horizontal bar per labelled line).
A bar is drawn filled, outlined (shape, not colour, sets it apart) or dotted (a withheld value).
"""
from dataclasses import dataclass

FILLED, OUTLINED, DOTTED = "filled", "outlined", "dotted"

COLUMNS_WIDTH, COLUMNS_TOP, COLUMNS_PLOT, COLUMNS_HEIGHT = 360, 24, 96, 146
WITHHELD_HEIGHT = 6
ROWS_WIDTH, ROW_HEIGHT, ROW_BAR_START, ROW_BAR_LENGTH, ROW_LABEL_CHARACTERS = 640, 30, 250, 300, 34


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    content: str
    anchor: str = "start"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    dotted: bool = False


@dataclass(frozen=True)
class Bar:
    label: str   # in the table: "janvier 2026", a step's title
    shown: str   # the value written for people: "12", "4,5 jours", "non publié"
    x: float
    y: float
    width: float
    height: float
    style: str = FILLED

    @property
    def withheld(self) -> bool:
        return self.style == DOTTED


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    summary: str
    header: str   # the table's first column ("Mois")
    column: str   # the table's value column
    bars: tuple[Bar, ...]
    texts: tuple[Text, ...]
    lines: tuple[Line, ...]
    width: int
    height: int
    font_size: int


@dataclass(frozen=True)
class Value:
    """One bar's data: `value` None is withheld (a dotted outline); `highlight` draws it filled among outlines."""

    label: str
    value: float | None
    shown: str
    short: str = ""   # under a column ("J" for janvier); a row draws its label
    highlight: bool = False


def columns(slug: str, title: str, summary: str, header: str, column: str, values: list[Value],
            top: float, maximum: str) -> Chart:
    """Vertical bars, `short` under each; the scale goes up to `top`, written above it as `maximum`."""
    slot = COLUMNS_WIDTH / max(len(values), 1)
    bars, texts = [], [Text(0, 16, maximum)]
    for index, item in enumerate(values):
        height = WITHHELD_HEIGHT if item.value is None else COLUMNS_PLOT * item.value / top
        x, width = round(index * slot + slot * 0.2, 1), round(slot * 0.6, 1)
        bars.append(Bar(item.label, item.shown, x, round(COLUMNS_TOP + COLUMNS_PLOT - height, 1), width,
                        round(height, 1), DOTTED if item.value is None else FILLED))
        texts.append(Text(round(x + width / 2, 2), 140, item.short, "middle"))
    lines = (Line(0, COLUMNS_TOP, COLUMNS_WIDTH, COLUMNS_TOP, dotted=True),
             Line(0, COLUMNS_TOP + COLUMNS_PLOT + 0.5, COLUMNS_WIDTH, COLUMNS_TOP + COLUMNS_PLOT + 0.5))
    return Chart(slug, title, summary, header, column, tuple(bars), tuple(texts), lines, COLUMNS_WIDTH,
                 COLUMNS_HEIGHT, 15)


def rows(slug: str, title: str, summary: str, values: list[Value], maximum: float | None = None,
         header: str = "", column: str = "") -> Chart:
    """Horizontal bars, each after its (shortened) label and followed by its value; the highlighted bars are
    filled, the others outlined. The scale ends at `maximum` (100 %, 10 points), else the highest value."""
    top = maximum or max((item.value or 0 for item in values), default=0) or 1
    bars, texts = [], []
    for index, item in enumerate(values):
        y = index * ROW_HEIGHT + 3
        length = round((item.value or 0) / top * ROW_BAR_LENGTH, 1)
        bars.append(Bar(item.label, item.shown, ROW_BAR_START, y + 4, max(length, 1), 18,
                        FILLED if item.highlight else OUTLINED))
        texts.append(Text(0, y + 17, _shortened(item.label)))
        texts.append(Text(round(ROW_BAR_START + 6 + length, 1), y + 17, item.shown))
    return Chart(slug, title, summary, header, column, tuple(bars), tuple(texts), (), ROWS_WIDTH,
                 len(values) * ROW_HEIGHT + 6, 13)


def _shortened(label: str) -> str:
    return label if len(label) <= ROW_LABEL_CHARACTERS else label[:ROW_LABEL_CHARACTERS - 1].rstrip() + "…"

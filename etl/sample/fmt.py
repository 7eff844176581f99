"""How a figure is printed under a layout (unit, thousands separators, zero style)."""

from __future__ import annotations


def money(c: int, thousands: bool = True) -> str:
    """Cents -> '1,234.56' (or '1234.56')."""
    sign = "-" if c < 0 else ""
    c = abs(c)
    whole, frac = divmod(c, 100)
    w = f"{whole:,}" if thousands else str(whole)
    return f"{sign}{w}.{frac:02d}"


def cell(c: int | None, lay) -> str:
    """A table cell: cents of 万元 -> text in the layout's unit and zero style."""
    if c is None:
        return ""
    if c == 0:
        return lay.zero
    if lay.unit == "元":
        return money(c * 10000, lay.thousands)
    return money(c, lay.thousands)


def wan(c: int, thousands: bool = True, trim: bool = False) -> str:
    """A narrative amount in 万元 (narratives are always in 万元). trim: 100.00 -> 100, 6.20 -> 6.2."""
    s = money(c, thousands)
    if trim and "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def pct(v: float | None) -> str:
    return "0.00" if v is None else f"{v:.2f}"

"""Filters that write the dashboard's figures the way people read them."""

import datetime
import decimal

from django import template

register = template.Library()


@register.filter
def duration(hours):
    """Hours as "45 minutes", "5 hours 20 minutes" or "3 days 4 hours"; "no data" for None."""
    if hours is None:
        return "no data"
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if minutes < 48 * 60:
        whole, rest = divmod(minutes, 60)
        text = f"{whole} hour{'s' if whole != 1 else ''}"
        return f"{text} {rest} minute{'s' if rest != 1 else ''}" if rest else text
    days, rest = divmod(round(hours), 24)
    return f"{days} days {rest} hour{'s' if rest != 1 else ''}" if rest else f"{days} days"


@register.filter
def percent(value):
    return "no data" if value is None else f"{value:g}%"


@register.filter
def cell(value):
    """A table cell: dates as "6 Dec 2026", money with pence only when there are any."""
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, decimal.Decimal):
        return f"£{value:,.2f}".removesuffix(".00")
    if isinstance(value, float):
        return f"{value:g}"
    return value

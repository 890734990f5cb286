from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for page and sort links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def elided_pages(paginator: Paginator, number: int) -> list:
    return list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))


@register.inclusion_tag("components/_sort_header.html", takes_context=True)
def sort_header(context: template.Context, field: str, label: str, current: str) -> dict:
    """A sortable column header: a link that toggles the order, and aria-sort."""
    if current == field:
        state, target = "ascending", f"-{field}"
    elif current == f"-{field}":
        state, target = "descending", field
    else:
        state, target = "none", field
    query = context["request"].GET.copy()
    query["sort"] = target
    query.pop("page", None)
    return {"label": label, "state": state, "query": query.urlencode()}

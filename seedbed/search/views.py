"""The search page: the form, a tab per kind of thing with its count, one page of hits."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from seedbed.core.pages import show_refusal
from seedbed.search import services
from seedbed.search.models import Kind
from seedbed.search.services import MAX_PAGE, PAGE_SIZE, SearchHit, SearchPage
from seedbed.search.text import MAX_QUERY_CHARS

TAB_LABELS = {
    "": pgettext_lazy("search tab", "All"),
    "community": pgettext_lazy("search tab", "Communities"),
    "post": pgettext_lazy("search tab", "Posts"),
    "event": pgettext_lazy("search tab", "Events"),
    "member": pgettext_lazy("search tab", "People"),
    "project": pgettext_lazy("search tab", "Projects & offers"),
    "resource": pgettext_lazy("search tab", "Library"),
}

KIND_LABELS: dict[str, object] = {
    Kind.COMMUNITY: _("Community"),
    Kind.POST: _("Thread"),
    Kind.REPLY: _("Thread, matching reply"),
    Kind.EVENT: _("Event"),
    Kind.MEMBER: _("Person"),
    Kind.PROJECT: _("Project"),
    Kind.OFFER: _("Offer"),
    Kind.RESOURCE: TAB_LABELS["resource"],
}
RESOURCE_KINDS = {
    "course": _("Course"),
    "book": _("Book"),
    "paper": _("Paper"),
    "video": _("Video"),
    "article": _("Article"),
    "template": _("Template"),
    "tool": _("Tool"),
}
"""A library resource's kind, which the library indexes in the document's ``flag``."""


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=MAX_QUERY_CHARS)
    type = forms.ChoiceField(choices=list(TAB_LABELS.items()), required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)


@dataclass(frozen=True)
class Tab:
    type: str
    label: str
    count: str
    current: bool


@dataclass(frozen=True)
class Row:
    hit: SearchHit
    label: str


def _label(hit: SearchHit) -> str:
    """What kind of thing a hit is, as its card says it: "Library · Book" for a resource."""
    label = str(KIND_LABELS.get(hit.kind, hit.kind))
    if hit.kind == Kind.RESOURCE and hit.flag in RESOURCE_KINDS:
        label = f"{label} · {RESOURCE_KINDS[hit.flag]}"
    return label


def _count(n: int, capped: bool) -> str:
    """A count as shown on a tab: past the ranked candidates, "1,000+"."""
    if capped:
        return number_format(min(n, services.CANDIDATES), force_grouping=True) + "+"
    return number_format(n, force_grouping=True)


def _tabs(results: SearchPage, current: str) -> list[Tab]:
    counts = {"": results.all_count, **results.counts}
    return [
        Tab(value, str(label), _count(counts.get(value, 0), results.capped), value == current)
        for value, label in TAB_LABELS.items()
    ]


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict = {"form": form, "q": "", "type": ""}
    if not form.is_valid():
        return render(request, "search/search.html", context, status=400)
    q, kind = form.cleaned_data["q"].strip(), form.cleaned_data["type"] or ""
    page = form.cleaned_data["page"] or 1
    context.update(q=q, type=kind)
    if not q:
        return render(request, "search/search.html", context)
    try:
        results = services.search_everything(request.user, q, type=kind, page=page)
    except ValidationError as exc:
        show_refusal(request, exc, form)
        return render(request, "search/search.html", context, status=400)
    pages = -(-results.total // PAGE_SIZE)
    context.update(
        results=results,
        rows=[Row(hit, _label(hit)) for hit in results.hits],
        tabs=_tabs(results, kind),
        page_number=page,
        has_next=page < min(pages, MAX_PAGE),
    )
    return render(request, "search/search.html", context)

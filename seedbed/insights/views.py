"""Placeholder until the Insights pages land: every route answers 404."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


overview = members = at_risk = reach_out = export = my_activity = _not_yet

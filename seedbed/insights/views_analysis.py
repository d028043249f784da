"""Placeholder until the sentiment, structure and forecast pages land: every route answers 404."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


sentiment = structure = introduce = forecasts = _not_yet

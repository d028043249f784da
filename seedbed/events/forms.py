import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seedbed.events.models import MAX_CAPACITY, Event, EventKind, EventSeries

TIME_ZONES = [
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Paris",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
]
LOCAL_FIELDS = ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at", "entries_close_at")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.Form):
    """Times are typed as wall-clock times in the event's own time zone."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea,
        help_text=_("Markdown is supported."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=[(z, z) for z in TIME_ZONES], initial="Asia/Shanghai"
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=LocalDateTimeInput())
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    map_url = forms.URLField(label=_("Map link"), required=False, assume_scheme="https")
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to confirmed attendees."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text=_("Leave empty for no limit."),
    )
    requires_approval = forms.BooleanField(label=_("Organisers approve each RSVP"), required=False)
    rsvp_opens_at = forms.DateTimeField(
        label=_("RSVP opens"), required=False, widget=LocalDateTimeInput()
    )
    rsvp_closes_at = forms.DateTimeField(
        label=_("RSVP closes"), required=False, widget=LocalDateTimeInput()
    )
    entries_close_at = forms.DateTimeField(
        label=_("Competition entries close"), required=False, widget=LocalDateTimeInput()
    )
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        required=False,
        choices=[("", _("Does not repeat")), *EventSeries.Frequency.choices],
    )
    occurrences = forms.IntegerField(
        label=_("Number of events in the series"),
        required=False,
        min_value=1,
        max_value=52,
        initial=1,
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["repeat"]
            del self.fields["occurrences"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = zoneinfo.ZoneInfo(data.get("time_zone") or "UTC")
        for name in LOCAL_FIELDS:
            value: datetime | None = data.get(name)
            if value is not None:
                data[name] = value.replace(tzinfo=None).replace(tzinfo=zone)
        return data

    def changes(self) -> dict:
        """The event's fields as typed; for an edit only those that differ from the event, so
        an edit applied to a whole series changes nothing else in it."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("repeat", "occurrences")}
        if not self.editing:
            return data
        new_zone = data.get("time_zone") != self.initial.get("time_zone")

        def differs(name: str, value: object) -> bool:
            before = self.initial.get(name)
            if name in LOCAL_FIELDS and isinstance(value, datetime) and before is not None:
                # typed to the minute, as wall-clock times of the (perhaps new) time zone
                wall = before.replace(second=0, microsecond=0)
                return new_zone or value.replace(tzinfo=None) != wall
            return value != before

        return {name: value for name, value in data.items() if differs(name, value)}

    @staticmethod
    def initial_for(event: Event) -> dict:
        initial = {
            name: getattr(event, name)
            for name in (
                "kind",
                "title",
                "description",
                "time_zone",
                "venue",
                "address",
                "map_url",
                "online_url",
                "capacity",
                "requires_approval",
            )
        }
        for name in LOCAL_FIELDS:
            value = getattr(event, name)
            initial[name] = value.astimezone(event.tz).replace(tzinfo=None) if value else None
        return initial


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=0, max_value=MAX_CAPACITY
    )

from django.db import models


class Kind(models.TextChoices):
    COMMUNITY = "community", "community"
    POST = "post", "post"
    REPLY = "reply", "reply"
    EVENT = "event", "event"
    MEMBER = "member", "member"
    PROJECT = "project", "project"
    OFFER = "offer", "offer"
    RESOURCE = "resource", "resource"


class SearchDocument(models.Model):
    """One searchable thing, denormalised so that a search never joins the app tables for
    its text: the visibility rule runs on these columns. Who sees a document: everyone when
    ``is_public``; every signed-in member when ``members_only``; members of ``community_id``;
    and never anyone once ``owner_id`` (a profile's or an offer's account) is inactive.

    ``thread_id`` groups a post and its replies into one hit. ``anchor`` (days since the
    epoch: a post's date, an event's start) and ``boost`` (engagement, written by the app
    that owns the row) break near-ties in relevance; ``flag`` marks a cancelled event.

    ``index_title``/``index_text`` hold the segmented tokens (see ``search.text``). The
    database-specific index lives beside the table and is created by migration 0001: an FTS5
    table kept in step by triggers on SQLite, a generated ``search_vector`` tsvector column with
    a GIN index (and trigram indexes) on PostgreSQL. A later migration that makes Django remake
    this table on SQLite must create the triggers again (0002 shows how)."""

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    community_id = models.BigIntegerField(null=True, blank=True)
    is_public = models.BooleanField()
    members_only = models.BooleanField(default=False)
    owner_id = models.BigIntegerField(null=True, blank=True)
    thread_id = models.BigIntegerField(null=True, blank=True)
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    starts_at = models.DateTimeField(null=True, blank=True)
    flag = models.CharField(max_length=16, blank=True, default="")
    anchor = models.FloatField(default=0.0)
    boost = models.FloatField(default=0.0)
    index_title = models.TextField(blank=True, editable=False)
    index_text = models.TextField(blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]
        indexes = [
            models.Index(fields=["community_id"], name="search_doc_community"),
            models.Index(fields=["owner_id"], name="search_doc_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

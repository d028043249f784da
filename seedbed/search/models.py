from django.db import models


class Kind(models.TextChoices):
    COMMUNITY = "community", "community"
    POST = "post", "post"
    REPLY = "reply", "reply"


class SearchDocument(models.Model):
    """One searchable thing, denormalised so that a search never joins the app tables: the
    visibility rule (public, or a community the searcher belongs to) runs on these columns.

    ``index_title``/``index_text`` hold the segmented tokens (see ``search.text``). The
    database-specific index lives beside the table and is created by migration 0001: an FTS5
    table kept in step by triggers on SQLite, a generated ``search_vector`` tsvector column with
    a GIN index (and trigram indexes) on PostgreSQL. A later migration that makes Django remake
    this table on SQLite must create the triggers again."""

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    community_id = models.BigIntegerField(null=True, blank=True)
    is_public = models.BooleanField()
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    index_title = models.TextField(blank=True, editable=False)
    index_text = models.TextField(blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]
        indexes = [models.Index(fields=["community_id"], name="search_doc_community")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

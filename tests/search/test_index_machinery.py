"""The database-specific index beside the documents table stays in step with it."""

import pytest
from django.db import connection

from seedbed.search import services
from seedbed.search.models import SearchDocument
from tests.search.conftest import found


def test_rows_deleted_by_any_path_leave_the_index(index_doc):
    index_doc("", "robotics demo")
    SearchDocument.objects.all().delete()
    index_doc("", "gardening")
    assert found("robotics") == []
    assert services.search("robotics", member_community_ids=[]).total == 0


def test_a_visibility_flip_keeps_documents_findable(index_doc):
    post = index_doc("", "robotics demo", community_id=3)
    services.set_community_visibility(3, is_public=False)
    services.set_community_visibility(3, is_public=True)
    assert found("robotics") == [post]


def test_control_characters_and_nul_in_documents_are_stored_without_error(index_doc):
    post = index_doc("robo\x00tics", "line\x00one robotics \x07")
    assert found("robotics") == [post]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 exists only on SQLite")
def test_the_sqlite_fts_index_holds_exactly_the_document_rows(index_doc):
    for i in range(5):
        index_doc("", f"robotics {i}")
    services.remove_document("post", SearchDocument.objects.first().object_id)
    SearchDocument.objects.filter(pk=SearchDocument.objects.last().pk).update(index_text="x")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
        cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'robotics'")
        assert cursor.fetchone()[0] == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the tsvector column exists only on PostgreSQL"
)
def test_the_postgres_vector_weights_the_title_above_the_body(index_doc):
    index_doc("融资 robotics", "路演 demo")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM search_searchdocument")
        vector = cursor.fetchone()[0]
    assert "'融资':1A" in vector and "'robotics':2A" in vector
    assert "'路演':3B" in vector and "'demo':4B" in vector


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's pg_trgm"
)
def test_on_postgres_a_misspelt_word_still_finds_the_document(index_doc):
    post = index_doc("Fundraising workshop", "How to raise a seed round")
    index_doc("Gardening", "How to grow tomatoes")
    assert found("fundrasing") == [post]

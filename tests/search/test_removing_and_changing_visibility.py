from seedbed.search import services
from seedbed.search.models import SearchDocument
from tests.search.conftest import found


def test_removing_a_document_takes_it_out_of_search(index_doc):
    gone = index_doc("", "robotics demo")
    kept = index_doc("", "robotics meetup")
    services.remove_document(*gone)
    assert found("robotics") == [kept]
    assert found("demo") == []


def test_removing_a_missing_document_is_not_an_error(db):
    services.remove_document("post", 123456)


def test_removing_a_community_takes_out_its_posts_and_replies(index_doc):
    index_doc("Robotics club", "androids", kind="community", object_id=7, community_id=7)
    index_doc("", "robotics post", kind="post", community_id=7)
    index_doc("", "robotics reply", kind="reply", community_id=7)
    other = index_doc("", "robotics elsewhere", community_id=8)
    services.remove_community_documents(7)
    assert found("robotics") == [other]
    assert found("androids") == []


def test_reindexing_replaces_the_old_text(index_doc):
    index_doc("", "robotics demo", object_id=41)
    index_doc("", "融资 路演", object_id=41)
    assert found("robotics") == []
    assert found("融资") == [("post", 41)]
    assert SearchDocument.objects.filter(object_id=41).count() == 1


def test_the_same_id_of_another_kind_is_another_document(index_doc):
    index_doc("", "robotics post", kind="post", object_id=5)
    index_doc("", "robotics reply", kind="reply", object_id=5)
    services.remove_document("post", 5)
    assert found("robotics") == [("reply", 5)]


def test_a_community_going_private_hides_its_documents_from_outsiders(index_doc):
    community = index_doc("Robotics club", "", kind="community", object_id=7, community_id=7)
    post = index_doc("", "robotics post", community_id=7, age_days=1)
    services.set_community_visibility(7, is_public=False)
    assert found("robotics") == []
    assert found("robotics", member_of=[7]) == [community, post]


def test_a_community_going_public_shows_its_documents_to_everyone(index_doc):
    post = index_doc("", "robotics post", community_id=7, is_public=False)
    other = index_doc("", "robotics elsewhere", community_id=8, is_public=False, age_days=1)
    services.set_community_visibility(7, is_public=True)
    assert found("robotics") == [post]
    assert other not in found("robotics")


def test_a_visibility_change_also_applies_to_the_fallback(index_doc):
    index_doc("", "天使轮融资", community_id=7)
    services.set_community_visibility(7, is_public=False)
    assert found("融") == []

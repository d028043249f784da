"""The library's pages and refusals are in the reader's language."""

import json

from django.urls import reverse

from tests.library.conftest import api_for, client_for


def test_pages_in_chinese(world):
    client = client_for(world["member"])
    home = client.get(reverse("library:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "学习资源库" in home.text and "全平台" in home.text and "书籍" in home.text
    resource = world["platform_resource"]
    page = client.get(
        reverse("library:resource", args=[resource.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "标记为已完成" in page.text


def test_api_refusals_in_chinese(world):
    api = api_for(world["member"])
    response = api.post(
        "/api/v1/library/resources",
        json.dumps({"kind": "book", "title": "无链接"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "请提供链接或上传文件（也可两者都有）。"

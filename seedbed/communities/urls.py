from django.urls import path

from seedbed.communities import views

app_name = "communities"

urlpatterns = [
    path("c/", views.directory, name="directory"),
    path("c/new/", views.create, name="create"),
    path("c/<slug:slug>/", views.detail, name="detail"),
    path("c/<slug:slug>/edit/", views.edit, name="edit"),
    path("c/<slug:slug>/archive/", views.archive, name="archive"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/leave/", views.leave, name="leave"),
    path("c/<slug:slug>/members/", views.members, name="members"),
    path(
        "c/<slug:slug>/members/<int:user_id>/<str:action>/",
        views.member_action,
        name="member_action",
    ),
    path("c/<slug:slug>/requests/", views.requests, name="requests"),
    path(
        "c/<slug:slug>/requests/<int:request_id>/<str:decision>/",
        views.decide_request,
        name="decide_request",
    ),
    path("c/<slug:slug>/invite/", views.invite, name="invite"),
    path("c/<slug:slug>/posts/", views.new_post, name="new_post"),
    path("c/<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("c/<slug:slug>/log/", views.audit_log, name="audit_log"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("p/<int:pk>/", views.post, name="post"),
    path("p/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("p/<int:pk>/delete/", views.delete_post, name="delete_post"),
    path("p/<int:pk>/pin/", views.pin_post, name="pin_post"),
    path("p/<int:pk>/replies/", views.new_reply, name="new_reply"),
    path("r/<int:pk>/edit/", views.edit_reply, name="edit_reply"),
    path("r/<int:pk>/delete/", views.delete_reply, name="delete_reply"),
    path("p/<int:pk>/react/", views.react, {"target": "post"}, name="react_post"),
    path("r/<int:pk>/react/", views.react, {"target": "reply"}, name="react_reply"),
    path("p/<int:pk>/report/", views.report, {"target": "post"}, name="report_post"),
    path("r/<int:pk>/report/", views.report, {"target": "reply"}, name="report_reply"),
    path("moderation/", views.moderation, name="moderation_all"),
    path("moderation/act/", views.moderate, name="moderate"),
    path("feed/", views.feed, name="feed"),
]

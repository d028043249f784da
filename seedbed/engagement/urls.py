from django.urls import path

from seedbed.engagement import views

app_name = "engagement"

urlpatterns = [
    path("points/", views.mine, name="mine"),
    path("points/leaderboard/", views.leaderboard, name="leaderboard"),
    path("points/visibility/", views.leaderboard_visibility, name="visibility"),
    path("points/members/<int:member_id>/", views.member_ledger, name="member_ledger"),
    path("points/entries/<int:pk>/reverse/", views.reverse_entry, name="reverse_entry"),
    path("c/<slug:slug>/leaderboard/", views.leaderboard, name="community_leaderboard"),
    path("rewards/", views.rewards, name="rewards"),
    path("rewards/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("rewards/manage/", views.manage_rewards, name="manage_rewards"),
    path("rewards/<int:pk>/update/", views.update_reward, name="update_reward"),
    path(
        "rewards/redemptions/<int:pk>/<str:decision>/",
        views.decide_redemption,
        name="decide_redemption",
    ),
    path("r/<int:pk>/helpful/", views.mark_helpful, name="mark_helpful"),
    path("p/<int:pk>/move/", views.move_post, name="move_post"),
]

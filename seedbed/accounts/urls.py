from django.urls import path

from seedbed.accounts import views

app_name = "accounts"

urlpatterns = [
    path("members/", views.directory, name="directory"),
    path("members/<int:pk>/", views.profile, name="profile"),
    path("me/profile/", views.edit_profile, name="edit_profile"),
    path("me/tokens/", views.api_tokens, name="api_tokens"),
    path("me/tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke_api_token"),
]

from django.urls import path

from seedbed.library import views

app_name = "library"

urlpatterns = [
    path("library/", views.home, name="home"),
    path("library/new/", views.add, name="add"),
    path("library/mine/", views.mine, name="mine"),
    path("library/queue/", views.queue, name="queue"),
    path("library/r/<int:pk>/", views.resource, name="resource"),
    path("library/r/<int:pk>/edit/", views.edit, name="edit"),
    path("library/r/<int:pk>/file/", views.download, name="file"),
    path("library/r/<int:pk>/rate/", views.rate, name="rate"),
    path("library/r/<int:pk>/report/", views.report, name="report"),
    path("library/r/<int:pk>/decide/", views.decide, name="decide"),
    path("library/r/<int:pk>/<str:shelf>/", views.shelve, name="shelve"),
    path("library/tracks/new/", views.create_track, name="create_track"),
    path("library/tracks/<int:pk>/", views.track, name="track"),
    path("library/tracks/<int:pk>/follow/", views.follow, name="follow"),
    path("library/tracks/<int:pk>/<str:action>/", views.curate, name="curate"),
    path("library/attach/<str:target>/<int:pk>/", views.attach, name="attach"),
]

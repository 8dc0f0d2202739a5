from django.urls import path
from shared_common import views

urlpatterns = [
    path("", views.home, name="home"),
    path("whoami/", views.whoami, name="whoami"),
    path("visits/", views.visits, name="visits"),
    path("queue-note/", views.queue_note, name="queue-note"),
]

from django.urls import path

from tests.consumers import WwwConsumer

urlpatterns = [path("ws/www/", WwwConsumer.as_asgi())]

"""Websocket routes of every sandbox tenant (``WS_URLCONF``)."""

from django.urls import path

from .consumers import EchoConsumer

urlpatterns = [path("ws/echo/", EchoConsumer.as_asgi(), name="ws-echo")]

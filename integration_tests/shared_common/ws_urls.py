"""Websocket routes of every sandbox tenant (``WS_URLCONF``)."""

from django.urls import path

from .consumers import ChatConsumer, EchoConsumer

urlpatterns = [
    path("ws/echo/", EchoConsumer.as_asgi(), name="ws-echo"),
    path("ws/chat/", ChatConsumer.as_asgi(), name="ws-chat"),
]

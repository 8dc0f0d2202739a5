from channels.generic.websocket import WebsocketConsumer
from django.urls import path


class EchoConsumer(WebsocketConsumer):
    def connect(self) -> None:
        self.accept()

    def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        self.send(text_data=f"{self.scope['tenant'].schema_name}:{text_data}")


urlpatterns = [path("ws/echo/", EchoConsumer.as_asgi())]

from django.urls import path

from tests.consumers import AsyncItemsConsumer, ChatConsumer, SyncItemsConsumer

urlpatterns = [
    path("ws/items/", SyncItemsConsumer.as_asgi()),
    path("ws/async/", AsyncItemsConsumer.as_asgi()),
    path("ws/chat/", ChatConsumer.as_asgi()),
]

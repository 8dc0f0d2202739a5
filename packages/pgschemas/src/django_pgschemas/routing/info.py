"""``from django_pgschemas.routing.info import DomainInfo, SessionInfo, HeadersInfo``."""

from pgschemas.core.routing_info import DomainInfo, HeadersInfo, RoutingInfo, SessionInfo

__all__ = ["DomainInfo", "HeadersInfo", "RoutingInfo", "SessionInfo"]

"""``tenant.routing`` values: how a request reached its tenant (they live in pgschemas-core,
since a ``Schema`` carries them; this is routing's import path for them)."""

from pgschemas.core.routing_info import DomainInfo, HeadersInfo, RoutingInfo, SessionInfo

__all__ = ["DomainInfo", "HeadersInfo", "RoutingInfo", "SessionInfo"]

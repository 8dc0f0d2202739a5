from django_pgschemas.contrib.channels.router import TenantProtocolRouter

application = TenantProtocolRouter()

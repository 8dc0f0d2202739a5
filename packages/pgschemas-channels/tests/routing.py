# The spec page's routing.py, word for word (with this package's import path).
from pgschemas.channels import TenantProtocolRouter

application = TenantProtocolRouter()

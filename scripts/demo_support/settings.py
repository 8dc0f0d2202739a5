"""Settings of the demo: the integration sandbox as it is, on its own database.

``DATABASE_URL`` (set by :mod:`.main` to the embedded server) names the server; the demo
keeps its data in the database ``pgschemas_demo`` so it never touches a test database.
"""

from pgschemas_devtools.database import database_settings
from sandbox.settings import *  # noqa: F403
from sandbox.settings import DATABASES

DATABASES = {**DATABASES, "default": database_settings("pgschemas_demo")}
DEBUG = False

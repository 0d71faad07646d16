"""The WSGI application, for gunicorn and runserver alike.

Importing this module marks the process as the web process: its database
connections see no tenant rows until RowLevelSecurityMiddleware sets a
request's scope (sothuly/rls.py). Management commands and the test runner
never import it and keep the system scope.
"""

import os

from django.core.wsgi import get_wsgi_application

from sothuly import rls

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sothuly.settings")

rls.mark_fail_closed()
application = get_wsgi_application()

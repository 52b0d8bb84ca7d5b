import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import the URL configuration, and with it every view and what the views import, while the
# worker starts: otherwise the first request each worker serves waits a second or more for it.
_ = get_resolver().url_patterns

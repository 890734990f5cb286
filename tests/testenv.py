"""Environment defaults for test runs, loaded as a pytest plugin (`-p tests.testenv`).

It is imported before pytest-django reads the settings, which a conftest.py is not.
Tests serve plain http (the test client, the live server), and must not run Celery
tasks eagerly: they use a real worker (tests/conftest.py, `celery_worker`).
"""

import os

os.environ.setdefault("IS_HTTPS", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

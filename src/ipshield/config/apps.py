"""Third-party apps under the names our users read (the admin index lists them by app).

Axes and django-tasks-db name their apps in English only ("Axes", "Tasks Database Backend");
these subclasses keep their labels (and so their migrations and tables) and give them Chinese
names translated like every other string. Their models' names are English msgids of the apps
themselves; src/ipshield/locale/zh_Hans holds their Chinese.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("登录防护")


class TasksConfig(TasksAppConfig):
    verbose_name = _("后台任务")

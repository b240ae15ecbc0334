"""前台接待工作站 — the Qt-free core: settings, database, models, services, documents."""

__version__ = "0.1.0"

"""Administration: settings, first-run setup, login and the idle lock, maintenance, residents and their
import."""

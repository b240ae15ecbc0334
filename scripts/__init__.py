"""Developer scripts (screenshots, the crash run, a throwaway PostgreSQL server, the icon). A
package so that the tests import the crash engine as ``scripts.crash_test`` rather than by
editing ``sys.path``; each script still runs as ``python scripts/NAME.py``."""

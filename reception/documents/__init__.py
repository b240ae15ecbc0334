"""Printed documents: every PDF the desk prints, its page layout and its embedded fonts."""

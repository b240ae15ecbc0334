"""Pieces shared by every tab: forms and their error labels, message boxes, dialogs, printing, fonts,
drafts, lookups."""

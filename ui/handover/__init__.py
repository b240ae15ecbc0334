"""The end-of-shift handover: the dialog, its tables and the daily report."""

"""Input rules: how typed text, phone numbers, plates and ID numbers are checked and masked."""

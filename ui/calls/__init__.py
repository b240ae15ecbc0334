"""The 来电 tab: the call form, the call list and its detail, callbacks, messages and follow-ups."""

"""The desk phone in the window: adapters started from the settings of this PC, and the pop."""

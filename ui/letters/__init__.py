"""The 来函 tab: letters, their actions, detail and attachments."""

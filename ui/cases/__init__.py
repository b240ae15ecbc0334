"""The 工单 tab: complaint cases, their actions, detail and escalation."""

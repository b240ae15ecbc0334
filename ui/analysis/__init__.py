"""The supervisors' analysis window: statistics, charts and exports."""

"""The 来访 tab: guest and business visits, appointments, visitors on site, watch list, incidents and the
badge scanner."""

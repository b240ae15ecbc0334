"""The desk phone (来电弹屏): events from the line's adapters, Qt-free.

Adapters (a caller-ID box on a serial port, an Asterisk AMI account, a PBX's webhook) turn what
the line reports into :class:`~reception.phone.events.PhoneEvent` and put them into an
:class:`~reception.phone.events.EventHub` from their own threads; the window drains the hub on
its own thread and records each event through :mod:`reception.services.phone_line`."""

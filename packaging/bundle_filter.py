"""Which Qt files the bundle leaves out (used by ``reception.spec``; tested in tests/test_packaging.py).

PyInstaller's PySide6 hooks collect every plugin of a used Qt module, and the libraries those
plugins need. The patterns match the Linux names (``PySide6/Qt/lib/libQt6Quick.so.6``,
``PySide6/Qt/plugins/platforms/libqeglfs.so``) and the Windows names (``PySide6/Qt6Quick.dll``,
``PySide6/plugins/platforms/qwindows.dll``) alike.

Kept: platforms offscreen, minimal, xcb and windows; printsupport; imageformats (incl. qpdf, the
PDF pages the print preview renders); iconengines; xcbglintegrations; the ibus and compose input
contexts (Chinese input methods on Linux); the xdg-desktop-portal theme; the zh_CN translations.

Left out: QML/Quick and the virtual keyboard (pulled in only by the virtual-keyboard input
context: ≈ 17 MB), Wayland, eglfs/linuxfb/vnc platforms, evdev/tuio input, TLS and
network-information plugins (the program never opens a network connection), the GTK3 theme (needs
GTK; absent on Windows) and the Qt translations of every language but Simplified Chinese."""

from __future__ import annotations

import re

QT_DROP = re.compile(
    r"""(
        (^|/)(lib)?Qt6(Quick|Qml|VirtualKeyboard|Wayland|WlShell|EglFS|EglFs)[^/]*$
      | /plugins/(egldeviceintegrations|wayland-[^/]+|tls|networkinformation|generic)/
      | /plugins/platforms/(lib)?q(eglfs|linuxfb|minimalegl|vnc|vkkhrdisplay|wayland)[^/]*$
      | /plugins/platforminputcontexts/(lib)?qtvirtualkeyboard[^/]*$
      | /plugins/platformthemes/(lib)?qgtk3[^/]*$
      | /translations/(?![^/]*_zh_CN\.qm$)[^/]*\.qm$
    )""",
    re.VERBOSE | re.IGNORECASE,
)


def keep(dest: str) -> bool:
    """False for a file (its path inside the bundle) that the program never loads."""
    dest = dest.replace("\\", "/")
    return not (dest.startswith("PySide6/") and QT_DROP.search(dest) is not None)
